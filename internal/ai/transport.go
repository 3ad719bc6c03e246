package ai

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// go-openai keeps no response headers in its errors and hides a stream's
// body behind a reader that cannot handle what providers really send, so
// the client's transport notes the provider's Retry-After and the stream's
// body where the call that sent the request can find them.
type callKey struct{}

// callNote is what the transport saw of one call's answer.
type callNote struct {
	mu          sync.Mutex
	wait        time.Duration
	body        io.ReadCloser
	contentType string
}

func (n *callNote) retryAfter() time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.wait
}

// stream is the body of the call's successful answer, read by Stream
// itself, and its media type; a nil body when there was none.
func (n *callNote) stream() (io.ReadCloser, string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.body, n.contentType
}

// noteCall gives ctx a place for what the transport sees of the answer.
func noteCall(ctx context.Context) (context.Context, *callNote) {
	n := &callNote{}
	return context.WithValue(ctx, callKey{}, n), n
}

// anthropicHost is Anthropic's API, which refuses a request from a browser
// unless it says it knows the key is exposed to the browser: Visen's keys
// live in the person's own browser by design.
const anthropicHost = "api.anthropic.com"

// transport adds what a provider needs on every request and notes the
// Retry-After of a 429 and the body of a successful answer.
type transport struct {
	base http.RoundTripper
}

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Hostname() == anthropicHost {
		req = req.Clone(req.Context())
		req.Header.Set("anthropic-dangerous-direct-browser-access", "true")
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	n, ok := req.Context().Value(callKey{}).(*callNote)
	if !ok {
		return resp, nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		if wait, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			n.wait = wait
		}
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		n.body = resp.Body
		n.contentType, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	}
	return resp, nil
}

// parseRetryAfter reads seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// withTransport wraps hc's transport, keeping the rest of hc.
func withTransport(hc *http.Client) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = transport{base: base}
	return &c
}
