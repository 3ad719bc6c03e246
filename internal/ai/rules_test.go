package ai

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStreamRules covers what providers send that the recordings do not
// show in isolation: each case is a stream as a provider shapes it.
func TestStreamRules(t *testing.T) {
	data := func(events ...string) string {
		var b strings.Builder
		for _, e := range events {
			b.WriteString("data: " + e + "\n\n")
		}
		return b.String()
	}
	tests := []struct {
		name, body  string
		contentType string
		want        string
		wantKind    *Kind
		wantMidway  bool
		wantSaid    string
	}{
		{
			name: "reasoning and reasoning_details fields never land",
			body: data(`{"choices":[{"delta":{"content":null,"reasoning":"Let me think","reasoning_details":[{"type":"reasoning.text","text":"Let me think"}]}}]}`,
				`{"choices":[{"delta":{"content":"Answer."}}]}`, `[DONE]`),
			want: "Answer.",
		},
		{
			name: "usage and moderation chunks are ignored",
			body: data(`{"choices":[{"delta":{"content":"Hi"}}]}`, `{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`,
				`{"id":"modr-1","choices":[],"moderation_results":[{"flagged":false}]}`, `[DONE]`),
			want: "Hi",
		},
		{
			name: "an array of parts keeps every text part in order",
			body: data(`{"choices":[{"delta":{"content":[{"type":"thinking","thinking":[{"type":"text","text":"hmm"}]},{"type":"text","text":"3"}]}}]}`,
				`{"choices":[{"delta":{"content":"91"}}]}`, `[DONE]`),
			want: "391",
		},
		{
			name: "finish_reason error without an error object fails",
			body: data(`{"choices":[{"delta":{"content":"Part"},"finish_reason":null}]}`, `{"choices":[{"delta":{},"finish_reason":"error"}]}`),
			want: "Part", wantKind: ptr(KindUnknown), wantMidway: true,
		},
		{
			name:     "an error before any text is the provider's trouble",
			body:     data(`{"error":{"code":502,"message":"Upstream error"}}`, `[DONE]`),
			wantKind: ptr(KindUnavailable), wantSaid: "Upstream error",
		},
		{
			name: "an error given as a string",
			body: data(`{"choices":[{"delta":{"content":"A"}}]}`, `{"error":"overloaded, try later"}`),
			want: "A", wantKind: ptr(KindUnavailable), wantMidway: true, wantSaid: "overloaded, try later",
		},
		{
			name:     "an OpenRouter rate limit inside the stream is a rate limit",
			body:     data(`{"error":{"code":429,"message":"Provider returned error","metadata":{"error_type":"rate_limit_exceeded"}},"choices":[{"delta":{"content":""},"finish_reason":"error"}]}`, `[DONE]`),
			wantKind: ptr(KindRateLimited), wantSaid: "Provider returned error",
		},
		{
			name: "an event: error with plain text",
			body: "data: {\"choices\":[{\"delta\":{\"content\":\"A\"}}]}\n\nevent: error\ndata: Internal failure\n\n",
			want: "A", wantKind: ptr(KindUnknown), wantMidway: true, wantSaid: "Internal failure",
		},
		{
			name: "a whole completion where a stream was asked for", contentType: "application/json",
			body: `{"choices":[{"message":{"role":"assistant","content":"<think>x</think>Whole."}}]}`,
			want: "Whole.",
		},
		{
			name: "an error with a 200 status and no stream", contentType: "application/json",
			body:     `{"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key"}}`,
			wantKind: ptr(KindUnauthorized), wantSaid: "Invalid API key",
		},
		{
			name: "a stream that ends without [DONE] keeps its text",
			body: data(`{"choices":[{"delta":{"content":"Short"}}]}`),
			want: "Short",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := &replay{status: 200, body: []byte(tt.body), contentType: tt.contentType}
			text, shown, err := stream(New(&http.Client{Transport: rt}, "https://openrouter.ai/api/v1", secretKey, WithName("OpenRouter")))
			assert.Equal(t, tt.want, text)
			assert.Equal(t, text, shown)
			if tt.wantKind == nil {
				require.NoError(t, err)
				return
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, *tt.wantKind, e.Kind)
			assert.Equal(t, tt.wantMidway, e.Midway)
			assert.Equal(t, tt.wantSaid, e.Said)
			assert.Contains(t, e.Message(), "OpenRouter")
		})
	}
}
