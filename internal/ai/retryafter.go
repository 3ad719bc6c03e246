package ai

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// go-openai keeps no response headers in its errors, so the client's
// transport reads Retry-After from a 429 itself and leaves it where the
// call that sent the request can find it.

type retryAfterKey struct{}

// retryAfterNote holds the wait a provider asked for on one call.
type retryAfterNote struct {
	mu   sync.Mutex
	wait time.Duration
}

func (n *retryAfterNote) get() time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.wait
}

// noteRetryAfter gives ctx a place for the provider's Retry-After.
func noteRetryAfter(ctx context.Context) (context.Context, *retryAfterNote) {
	n := &retryAfterNote{}
	return context.WithValue(ctx, retryAfterKey{}, n), n
}

// retryAfterTransport reads Retry-After on 429 answers.
type retryAfterTransport struct {
	base http.RoundTripper
}

func (t retryAfterTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	if n, ok := req.Context().Value(retryAfterKey{}).(*retryAfterNote); ok {
		if wait, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			n.mu.Lock()
			n.wait = wait
			n.mu.Unlock()
		}
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

// withRetryAfter wraps hc's transport, keeping the rest of hc.
func withRetryAfter(hc *http.Client) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = retryAfterTransport{base: base}
	return &c
}
