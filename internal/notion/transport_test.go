package notion

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scripted answers requests from a list, one per call, and records the
// bodies it saw.
type scripted struct {
	answers []func() (*http.Response, error)
	bodies  []string
}

func (s *scripted) RoundTrip(req *http.Request) (*http.Response, error) {
	body := ""
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		body = string(b)
	}
	s.bodies = append(s.bodies, body)
	if len(s.bodies) > len(s.answers) {
		return nil, errors.New("unexpected request")
	}
	return s.answers[len(s.bodies)-1]()
}

func status(code int, retryAfter string) func() (*http.Response, error) {
	return func() (*http.Response, error) {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader(`{"object":"error","status":` + strconv.Itoa(code) + `}`))}, nil
	}
}

// limited is a 429 or 529 answer with Notion's body, naming the limit hit.
func limited(code int, retryAfter, reason string) func() (*http.Response, error) {
	return func() (*http.Response, error) {
		h := http.Header{"Retry-After": {retryAfter}}
		body := `{"object":"error","status":` + strconv.Itoa(code) + `,"code":"rate_limited","message":"Rate limited.","additional_data":{"rate_limit_reason":"` + reason + `"}}`
		return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader(body))}, nil
	}
}

func netErr() (*http.Response, error) { return nil, errors.New("connection reset by peer") }

func TestTransportRetries(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		path       string
		answers    []func() (*http.Response, error)
		maxWait    time.Duration
		wantStatus int
		wantErr    bool
		// wantLimited is the error a wait past the limit gives.
		wantLimited *LimitedError
		wantCalls   int
		wantWaits   []time.Duration
	}{
		{
			name: "429 waits Retry-After then succeeds", method: "PATCH", path: "/v1/blocks/abc/children",
			answers:    []func() (*http.Response, error){status(429, "2"), status(200, "")},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{2 * time.Second},
		},
		{
			name: "529 is waited out like 429", method: "PATCH", path: "/v1/blocks/abc/children",
			answers:    []func() (*http.Response, error){status(529, "1"), status(529, "1"), status(200, "")},
			wantStatus: 200, wantCalls: 3, wantWaits: []time.Duration{time.Second, time.Second},
		},
		{
			name: "5xx on a read backs off exponentially", method: "GET", path: "/v1/pages/abc",
			answers:    []func() (*http.Response, error){status(500, ""), status(502, ""), status(503, ""), status(504, ""), status(200, "")},
			wantStatus: 200, wantCalls: 5, wantWaits: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second},
		},
		{
			name: "network error on a read is retried", method: "GET", path: "/v1/users/me",
			answers:    []func() (*http.Response, error){netErr, status(200, "")},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond},
		},
		{
			name: "5xx on an append is left to the writer", method: "PATCH", path: "/v1/blocks/abc/children",
			answers:    []func() (*http.Response, error){status(502, "")},
			wantStatus: 502, wantCalls: 1,
		},
		{
			name: "network error on page create is left to the writer", method: "POST", path: "/v1/pages",
			answers: []func() (*http.Response, error){netErr},
			wantErr: true, wantCalls: 1,
		},
		{
			name: "a query is a read and is retried", method: "POST", path: "/v1/databases/abc/query",
			answers:    []func() (*http.Response, error){status(503, ""), status(200, "")},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond},
		},
		{
			name: "past the wait limit the wait Notion asked for is the error", method: "GET", path: "/v1/pages/abc",
			answers: []func() (*http.Response, error){status(429, "30"), status(429, "30"), status(429, "30")},
			maxWait: 45 * time.Second, wantErr: true, wantLimited: &LimitedError{Status: 429, RetryAfter: 30 * time.Second},
			wantCalls: 2, wantWaits: []time.Duration{30 * time.Second},
		},
		{
			name: "a wait of a minute is waited out", method: "GET", path: "/v1/pages/abc",
			answers:    []func() (*http.Response, error){status(429, "60"), status(200, "")},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{time.Minute},
		},
		{
			name: "a longer wait fails at once with Notion's reason", method: "POST", path: "/v1/data_sources/abc/query",
			answers: []func() (*http.Response, error){limited(429, "300", "workspace_rate_limit")},
			wantErr: true, wantLimited: &LimitedError{Status: 429, RetryAfter: 5 * time.Minute, Reason: "workspace_rate_limit"},
			wantCalls: 1,
		},
		{
			name: "529 past the wait limit", method: "PATCH", path: "/v1/blocks/abc/children",
			answers: []func() (*http.Response, error){limited(529, "90", "")},
			wantErr: true, wantLimited: &LimitedError{Status: 529, RetryAfter: 90 * time.Second},
			wantCalls: 1,
		},
		{
			name: "a client error is final", method: "PATCH", path: "/v1/blocks/abc/children",
			answers:    []func() (*http.Response, error){status(400, "")},
			wantStatus: 400, wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := &scripted{answers: tt.answers}
			opts := []TransportOption{WithRate(1000, 1000)}
			if tt.maxWait > 0 {
				opts = append(opts, WithMaxWait(tt.maxWait))
			}
			tr := NewTransport(base, opts...)
			var waits []time.Duration
			tr.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
			tr.jitter = func(d time.Duration) time.Duration { return d }

			req, err := http.NewRequest(tt.method, "https://api.notion.com"+tt.path, strings.NewReader(`{"children":[]}`))
			require.NoError(t, err)
			resp, err := tr.RoundTrip(req)
			if tt.wantErr {
				require.Error(t, err)
				if tt.wantLimited != nil {
					var le *LimitedError
					require.ErrorAs(t, err, &le)
					assert.Equal(t, tt.wantLimited, le)
				}
			} else {
				require.NoError(t, err)
				assert.Equal(t, tt.wantStatus, resp.StatusCode)
			}
			assert.Len(t, base.bodies, tt.wantCalls)
			for i, b := range base.bodies {
				assert.Equal(t, `{"children":[]}`, b, "attempt %d must replay the body", i+1)
			}
			assert.Equal(t, tt.wantWaits, waits)
		})
	}
}

func TestTransportStopsWhenCancelled(t *testing.T) {
	base := &scripted{answers: []func() (*http.Response, error){status(429, "5"), status(200, "")}}
	tr := NewTransport(base, WithRate(1000, 1000))
	ctx, cancel := context.WithCancel(context.Background())
	tr.sleep = func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
	req, err := http.NewRequestWithContext(ctx, "GET", "https://api.notion.com/v1/users/me", nil)
	require.NoError(t, err)
	_, err = tr.RoundTrip(req)
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, base.bodies, 1)
}

// fourRequests sends four requests, one after another, through a
// transport with opts to a base that answers each, and returns the time
// they took.
func fourRequests(t *testing.T, opts ...TransportOption) time.Duration {
	t.Helper()
	base := &scripted{}
	for range 4 {
		base.answers = append(base.answers, status(200, ""))
	}
	tr := NewTransport(base, opts...)
	start := time.Now()
	for range 4 {
		req, err := http.NewRequest("GET", "https://api.notion.com/v1/users/me", nil)
		require.NoError(t, err)
		_, err = tr.RoundTrip(req)
		require.NoError(t, err)
	}
	return time.Since(start)
}

func TestTransportKeepsTheRate(t *testing.T) {
	// Four requests at 20/s with no burst need three 50 ms gaps.
	assert.GreaterOrEqual(t, fourRequests(t, WithRate(20, 1)), 140*time.Millisecond)
}

// TestTransportDefaultRateIsNotions sends four requests at once through a
// transport with its default rate: Notion allows about three a second, so
// three may go at once and the fourth waits a third of a second, never
// going in the same burst.
func TestTransportDefaultRateIsNotions(t *testing.T) {
	assert.GreaterOrEqual(t, fourRequests(t), 300*time.Millisecond, "the fourth request went in the first burst")
}
