package ai

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secretKey = "sk-test-0123456789abcdefSECRET"

// answer is a RoundTripper that gives one fixed answer and records the
// request it saw.
type answer struct {
	status int
	body   string
	err    error
	seen   *http.Request
}

func (a *answer) RoundTrip(req *http.Request) (*http.Response, error) {
	a.seen = req
	if a.err != nil {
		return nil, a.err
	}
	return &http.Response{StatusCode: a.status, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(a.body)), Request: req}, nil
}

func openAIError(code, typ, message string) string {
	return `{"error":{"message":"` + message + `","type":"` + typ + `","param":null,"code":"` + code + `"}}`
}

func TestModels(t *testing.T) {
	a := &answer{status: 200, body: `{"object":"list","data":[{"id":"gpt-5-mini","object":"model"},{"id":"gpt-4.1","object":"model"}]}`}
	models, err := New(&http.Client{Transport: a}, "https://api.openai.com/v1/", secretKey).Models(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"gpt-4.1", "gpt-5-mini"}, models)
	assert.Equal(t, "https://api.openai.com/v1/models", a.seen.URL.String())
	assert.Equal(t, "Bearer "+secretKey, a.seen.Header.Get("Authorization"))
}

func TestModelsErrors(t *testing.T) {
	tests := []struct {
		name     string
		baseURL  string
		answer   *answer
		wantKind Kind
		wantText string
	}{
		{
			name: "bad key", baseURL: "https://api.openai.com/v1",
			answer:   &answer{status: 401, body: openAIError("invalid_api_key", "invalid_request_error", "Incorrect API key provided: sk-test-****CRET.")},
			wantKind: KindUnauthorized, wantText: "did not accept the API key",
		},
		{
			name: "rate limited", baseURL: "https://api.openai.com/v1",
			answer:   &answer{status: 429, body: openAIError("rate_limit_exceeded", "requests", "Rate limit reached for requests")},
			wantKind: KindRateLimited, wantText: "rate-limiting",
		},
		{
			name: "quota is not a rate limit", baseURL: "https://api.openai.com/v1",
			answer:   &answer{status: 429, body: openAIError("insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.")},
			wantKind: KindQuota, wantText: "no quota left",
		},
		{
			name: "model not found", baseURL: "https://api.openai.com/v1",
			answer:   &answer{status: 404, body: openAIError("model_not_found", "invalid_request_error", "The model `gpt-9` does not exist")},
			wantKind: KindModelNotFound, wantText: "does not offer this model",
		},
		{
			name: "context too long", baseURL: "https://api.openai.com/v1",
			answer:   &answer{status: 400, body: openAIError("context_length_exceeded", "invalid_request_error", "This model's maximum context length is 8192 tokens.")},
			wantKind: KindContextTooLong, wantText: "too long for this model",
		},
		{
			name: "provider down", baseURL: "https://openrouter.ai/api/v1",
			answer:   &answer{status: 502, body: `<html>Bad gateway</html>`},
			wantKind: KindUnavailable, wantText: "openrouter.ai is not answering",
		},
		{
			name: "network down", baseURL: "https://generativelanguage.googleapis.com/v1beta/openai",
			answer:   &answer{err: errors.New("dial tcp: lookup failed")},
			wantKind: KindNetwork, wantText: "Check your internet connection",
		},
		{
			name: "ollama refuses the extension origin", baseURL: "http://localhost:11434/v1",
			answer:   &answer{status: 403, body: ``},
			wantKind: KindOriginRefused, wantText: "OLLAMA_ORIGINS",
		},
		{
			name: "local server not running", baseURL: "http://127.0.0.1:11434/v1",
			answer:   &answer{err: errors.New("connection refused")},
			wantKind: KindNetwork, wantText: "Is the local server running?",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(&http.Client{Transport: tt.answer}, tt.baseURL, secretKey).Models(context.Background())
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.wantKind, e.Kind)
			assert.Contains(t, e.Message(), tt.wantText)
			for _, text := range []string{e.Message(), e.Error()} {
				assert.NotContains(t, text, "CRET", "no part of the key may be shown")
				assert.NotContains(t, text, "sk-test")
			}
		})
	}
}

func TestModelsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New(&http.Client{Transport: &answer{err: context.Canceled}}, "https://api.openai.com/v1", secretKey).Models(ctx)
	require.ErrorIs(t, err, context.Canceled)
}

func TestMessagesNameTheProviderAsChosen(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{name: "named", opts: []Option{WithName("OpenAI")}, want: "Your OpenAI account has no quota left."},
		{name: "unnamed falls back to the host", want: "Your api.openai.com account has no quota left."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &answer{status: 429, body: openAIError("insufficient_quota", "insufficient_quota", "You exceeded your current quota.")}
			_, err := New(&http.Client{Transport: a}, "https://api.openai.com/v1", secretKey, tt.opts...).Models(context.Background())
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Contains(t, e.Message(), tt.want)
		})
	}
}
