//go:build !js

// Streaming needs a real connection: an in-process handler answers only
// once it has finished.

package ai

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/testcert"
)

func fakeClient(t *testing.T, s *fakeai.Server, key string) *Client {
	t.Helper()
	return New(testcert.Serve(t, s), testworld.ModelURL, key)
}

func TestStream(t *testing.T) {
	s := fakeai.New(fakeai.Config{Keys: []string{secretKey}, Models: []string{"m"}, Answer: "# Plan\n\nStep one.\n"})
	var pieces []string
	text, err := fakeClient(t, s, secretKey).Stream(context.Background(), Request{Model: "m", Prompt: "plan", Instructions: "Be brief.", Temperature: 0.3, MaxTokens: 300}, func(d string) { pieces = append(pieces, d) })
	require.NoError(t, err)
	assert.Equal(t, "# Plan\n\nStep one.\n", text)
	assert.Equal(t, text, strings.Join(pieces, ""))
	assert.Greater(t, len(pieces), 1, "the answer arrives in pieces")

	var body struct {
		Stream      bool
		Temperature float32
		MaxTokens   int `json:"max_tokens"`
		Messages    []struct{ Role, Content string }
	}
	require.NoError(t, json.Unmarshal([]byte(s.Requests()[0].Body), &body))
	assert.True(t, body.Stream)
	assert.InDelta(t, 0.3, body.Temperature, 0.001)
	assert.Equal(t, 300, body.MaxTokens)
	assert.Contains(t, body.Messages[0].Content, "Markdown")
	assert.Contains(t, body.Messages[0].Content, "Be brief.")
	assert.Equal(t, "plan", body.Messages[1].Content)
}

func TestStreamErrors(t *testing.T) {
	tests := []struct {
		fault string
		want  Kind
	}{
		{"unauthorized", KindUnauthorized},
		{"rate_limited", KindRateLimited},
		{"insufficient_quota", KindQuota},
		{"model_not_found", KindModelNotFound},
		{"context_length_exceeded", KindContextTooLong},
		{"server_error", KindUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			s := fakeai.New(fakeai.Config{Keys: []string{secretKey}, Models: []string{"m"}, Answer: "x"})
			s.Fail(fakeai.Fault{Kind: tt.fault})
			_, _, err := stream(fakeClient(t, s, secretKey))
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.want, e.Kind)
		})
	}
}

func TestStreamRateLimitCarriesTheProvidersRetryAfter(t *testing.T) {
	s := fakeai.New(fakeai.Config{Keys: []string{secretKey}, Models: []string{"m"}, Answer: "x"})
	require.NoError(t, s.Fail(fakeai.Fault{Kind: "rate_limited", RetryAfter: 7}))
	_, _, err := stream(fakeClient(t, s, secretKey))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, KindRateLimited, e.Kind)
	assert.Equal(t, 7*time.Second, e.RetryAfter)
}

func TestStreamDisconnectKeepsTheText(t *testing.T) {
	s := fakeai.New(fakeai.Config{Keys: []string{secretKey}, Models: []string{"m"}, Answer: "one two three four five"})
	s.Fail(fakeai.Fault{Kind: "disconnect", AfterTokens: 2})
	text, _, err := stream(fakeClient(t, s, secretKey))
	require.Error(t, err)
	assert.Equal(t, "one two ", text)
}

func TestStreamCancelStopsAStall(t *testing.T) {
	s := fakeai.New(fakeai.Config{Keys: []string{secretKey}, Models: []string{"m"}, Answer: "one two three"})
	s.Fail(fakeai.Fault{Kind: "stall", AfterTokens: 1})
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error, 1)
	go func() {
		_, err := fakeClient(t, s, secretKey).Stream(ctx, Request{Model: "m", Prompt: "p"}, func(string) { cancel() })
		got <- err
	}()
	select {
	case err := <-got:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(time.Second):
		t.Fatal("a cancelled stream must stop within a second")
	}
}

func TestStreamReasoningModelsGetNoTemperature(t *testing.T) {
	s := fakeai.New(fakeai.Config{Keys: []string{secretKey}, Models: []string{"gpt-5-mini"}, Answer: "ok"})
	text, err := fakeClient(t, s, secretKey).Stream(context.Background(), Request{Model: "gpt-5-mini", Prompt: "p", Temperature: 0.7, MaxTokens: 500}, func(string) {})
	require.NoError(t, err)
	assert.Equal(t, "ok", text)
	assert.NotContains(t, s.Requests()[0].Body, "temperature")
	assert.Contains(t, s.Requests()[0].Body, `"max_completion_tokens":500`)
}
