// Package testworld starts the fakes Visen's tests run against, a fake
// Notion and a fake model, and gives the clients the product code takes,
// each reaching its fake as if it were the real host. Requests are served
// in process, so the tests run the same under GOOS=js; only a model's
// stream, which must arrive in pieces, crosses a real TLS connection.
package testworld

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
	"github.com/visen/visen/internal/testworld/testcert"
)

// NotionHost is the host of Notion's API, which the fake Notion answers.
const NotionHost = "api.notion.com"

// ModelURL is the base URL tests give the AI client: OpenAI's, which the
// fake model answers as it answers every provider's host.
const ModelURL = "https://api.openai.com/v1"

// NoWait is a Notion transport option for tests: no rate limit, and a
// retry a microsecond after a failure, so no test waits as a person would.
func NoWait(t *notion.Transport) {
	notion.WithRate(1e6, 1e6)(t)
	notion.WithBackoff(time.Microsecond)(t)
}

// NotionHTTP is a client that sends every request to h in process through
// Notion's own transport with opts; with none, the transport as it ships.
func NotionHTTP(h http.Handler, opts ...notion.TransportOption) *http.Client {
	return &http.Client{Transport: notion.NewTransport(testcert.InProcess{Handler: h}, opts...)}
}

// World is a fake Notion, a fake model or both, and the clients that
// reach them.
type World struct {
	// Notion is the fake Notion, nil in a world made without WithNotion.
	Notion *fakenotion.Server
	// AI is the fake model, nil in a world made without WithAI.
	AI *fakeai.Server

	latency  time.Duration
	stream   bool
	notionRT http.RoundTripper
	modelRT  http.RoundTripper
}

// Option sets up a World. Options apply in order, and the fakes start
// serving only after the last, so an option of a test's own may change a
// fake made by an earlier one.
type Option func(*World)

// WithNotion gives the world a fake Notion holding seed.
func WithNotion(seed fakenotion.Seed) Option {
	return func(w *World) { w.Notion = fakenotion.New(seed) }
}

// WithAI gives the world a fake model configured by cfg.
func WithAI(cfg fakeai.Config) Option {
	return func(w *World) { w.AI = fakeai.New(cfg) }
}

// Streaming serves the fake model over TLS on a local listener, for tests
// of a stream as it arrives. There is no listener under GOOS=js.
func Streaming() Option {
	return func(w *World) { w.stream = true }
}

// WithLatency makes each answer of the fake Notion take d: Slow.
func WithLatency(d time.Duration) Option {
	return func(w *World) { w.latency = d }
}

// New makes a world with opts. Anything it starts stops when tb ends.
func New(tb testing.TB, opts ...Option) *World {
	tb.Helper()
	w := &World{}
	for _, o := range opts {
		o(w)
	}
	if w.Notion != nil {
		api := w.Notion.API()
		if d := w.latency; d > 0 {
			api = Slow(api, d)
		}
		w.notionRT = testcert.InProcess{Handler: api}
	}
	switch {
	case w.AI != nil && w.stream:
		w.modelRT = testcert.Serve(tb, w.AI).Transport
	case w.AI != nil:
		w.modelRT = testcert.InProcess{Handler: w.AI}
	}
	return w
}

// Slow makes each answer of h take d, as a round trip from a browser does.
func Slow(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		time.Sleep(d)
		h.ServeHTTP(rw, r)
	})
}

// Transport sends Notion's API host to the fake Notion and every other
// host to the fake model, as the browser tests map the real hosts. A
// request for a fake the world lacks fails.
func (w *World) Transport() http.RoundTripper {
	return roundTripper(func(req *http.Request) (*http.Response, error) {
		rt, name := w.modelRT, "model"
		if req.URL.Hostname() == NotionHost {
			rt, name = w.notionRT, "Notion"
		}
		if rt == nil {
			return nil, fmt.Errorf("testworld: %s %s: the world has no fake %s", req.Method, req.URL, name)
		}
		return rt.RoundTrip(req)
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// HTTP is a plain client on Transport, as the AI client takes.
func (w *World) HTTP() *http.Client {
	return &http.Client{Transport: w.Transport()}
}

// NotionHTTP is a client on Transport through Notion's own transport with
// opts, as the Notion client and the writer take.
func (w *World) NotionHTTP(opts ...notion.TransportOption) *http.Client {
	return &http.Client{Transport: notion.NewTransport(w.Transport(), opts...)}
}

// NotionClient is a Notion client for secret that never waits: on
// NotionHTTP(NoWait).
func (w *World) NotionClient(secret string) *notion.Client {
	return notion.New(w.NotionHTTP(NoWait), secret)
}
