package notion

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/visen/visen/internal/notion/limits"
)

// Transport is the http.RoundTripper under the Notion client. It keeps to
// Notion's request rate, waits out 429 and 529 as Notion asks (up to the
// wait limit, past which it fails with a *LimitedError), and retries
// server errors with jittered exponential back-off, replaying the body each
// time. notionapi's own retry must be off (notionapi.WithRetry(1)): it resends
// a request with an empty body.
//
// Requests that create content (appending children, creating a page) are not
// retried after a server or network error, because Notion may have applied
// them; the writer reconciles those by reading back. A 429 or 529 is always
// safe to retry: Notion refused the request before doing anything.
type Transport struct {
	base    http.RoundTripper
	limiter *rate.Limiter
	maxWait time.Duration
	sleep   func(context.Context, time.Duration) error
	jitter  func(time.Duration) time.Duration

	backoffBase time.Duration
}

// TransportOption configures a Transport.
type TransportOption func(*Transport)

// WithRate sets the sustained request rate and the burst allowed above it.
func WithRate(perSecond float64, burst int) TransportOption {
	return func(t *Transport) { t.limiter = rate.NewLimiter(rate.Limit(perSecond), burst) }
}

// WithMaxWait bounds the total time spent waiting between retries of one
// request; past it the last answer is returned as it is.
func WithMaxWait(d time.Duration) TransportOption {
	return func(t *Transport) { t.maxWait = d }
}

// WithBackoff sets the first wait after a server or network error; each
// further one doubles it.
func WithBackoff(first time.Duration) TransportOption {
	return func(t *Transport) { t.backoffBase = first }
}

// DefaultMaxWait is how long one request may spend waiting to be retried.
const DefaultMaxWait = 60 * time.Second

// NewTransport wraps base, or http.DefaultTransport when base is nil.
func NewTransport(base http.RoundTripper, opts ...TransportOption) *Transport {
	if base == nil {
		base = http.DefaultTransport
	}
	t := &Transport{
		base:    base,
		limiter: rate.NewLimiter(rate.Limit(limits.RequestsPerSecond), limits.RequestBurst),
		maxWait: DefaultMaxWait,

		backoffBase: 500 * time.Millisecond,
		sleep:       sleepContext,
		jitter:      func(d time.Duration) time.Duration { return d/2 + rand.N(d/2+1) },
	}
	for _, o := range opts {
		o(t)
	}
	return t
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		if err := t.limiter.Wait(ctx); err != nil {
			return nil, err
		}
		try, err := rewind(req, attempt)
		if err != nil {
			return nil, err
		}
		resp, err := t.base.RoundTrip(try)
		wait, retry := t.retryAfter(req, resp, err, attempt)
		if !retry || waited+wait > t.maxWait || (req.Body != nil && req.GetBody == nil) {
			if err == nil && isLimited(resp.StatusCode) {
				return nil, limitedError(resp)
			}
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
		waited += wait
	}
}

// retryAfter decides whether an answer is worth another try, and after how long.
func (t *Transport) retryAfter(req *http.Request, resp *http.Response, err error, attempt int) (time.Duration, bool) {
	if req.Context().Err() != nil {
		return 0, false
	}
	if err != nil {
		return t.backoff(attempt), !createsContent(req)
	}
	if isLimited(resp.StatusCode) {
		if d, ok := retryAfterHeader(resp); ok {
			return d, true
		}
		return t.backoff(attempt), true
	}
	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return t.backoff(attempt), !createsContent(req)
	}
	return 0, false
}

func (t *Transport) backoff(attempt int) time.Duration {
	d := t.backoffBase << min(attempt, 6)
	return t.jitter(d)
}

// StatusOverloaded is the status Notion answers when it is overloaded.
const StatusOverloaded = 529

// isLimited reports the statuses that mean "wait, then send again": Notion
// refused the request before doing anything.
func isLimited(status int) bool {
	return status == http.StatusTooManyRequests || status == StatusOverloaded
}

// retryAfterHeader reads Retry-After, which Notion sends in whole seconds.
func retryAfterHeader(resp *http.Response) (time.Duration, bool) {
	secs, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After")))
	if err != nil || secs < 0 {
		return 0, false
	}
	return time.Duration(secs) * time.Second, true
}

// LimitedError is a 429 or 529 that was not waited out, because Notion
// asked for a longer wait than the transport allows. It keeps what Notion
// said, which notionapi would drop, so the message can repeat it.
type LimitedError struct {
	Status int
	// RetryAfter is the wait Notion asked for; zero when it named none.
	RetryAfter time.Duration
	// Reason is Notion's additional_data.rate_limit_reason, when given.
	Reason string
}

func (e *LimitedError) Error() string {
	return fmt.Sprintf("notion: %d, retry after %s, reason %q", e.Status, e.RetryAfter, e.Reason)
}

// limitedError reads a 429 or 529 answer and closes it.
func limitedError(resp *http.Response) *LimitedError {
	defer resp.Body.Close()
	e := &LimitedError{Status: resp.StatusCode}
	e.RetryAfter, _ = retryAfterHeader(resp)
	var body struct {
		AdditionalData struct {
			Reason string `json:"rate_limit_reason"`
		} `json:"additional_data"`
	}
	if json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&body) == nil {
		e.Reason = body.AdditionalData.Reason
	}
	return e
}

// createsContent reports whether a request adds content, so that running it
// twice would write twice.
func createsContent(req *http.Request) bool {
	p := strings.TrimSuffix(req.URL.Path, "/")
	switch req.Method {
	case http.MethodPost:
		return p == "/v1/pages" || p == "/v1/comments"
	case http.MethodPatch:
		return strings.HasPrefix(p, "/v1/blocks/") && strings.HasSuffix(p, "/children")
	}
	return false
}

func rewind(req *http.Request, attempt int) (*http.Request, error) {
	if attempt == 0 || req.Body == nil || req.GetBody == nil {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	try := req.Clone(req.Context())
	try.Body = body
	return try, nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
