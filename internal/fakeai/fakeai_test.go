package fakeai

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testcert"
)

const key = "sk-fake-test-key"

func client(s *Server, baseURL, apiKey string) *openai.Client {
	cfg := openai.DefaultConfig(apiKey)
	cfg.BaseURL = baseURL
	cfg.HTTPClient = &http.Client{Transport: testcert.InProcess{Handler: s}}
	return openai.NewClientWithConfig(cfg)
}

func TestModelsAtEveryPrefix(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"a", "b"}})
	for _, base := range []string{"https://api.openai.com/v1", "https://generativelanguage.googleapis.com/v1beta/openai", "https://openrouter.ai/api/v1"} {
		list, err := client(s, base, key).ListModels(context.Background())
		require.NoError(t, err, base)
		assert.Len(t, list.Models, 2)
	}
}

func TestWrongKeyIsNotEchoed(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"a"}})
	_, err := client(s, "https://api.openai.com/v1", "sk-wrong-SECRETPART").ListModels(context.Background())
	var apiErr *openai.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 401, apiErr.HTTPStatusCode)
	assert.Equal(t, "invalid_api_key", apiErr.Code)
	assert.NotContains(t, apiErr.Message, "SECRETPART")
}

func TestStreamsLikeTheRealAPI(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"m"}, Answer: "# Title\n\nHello there, world."})
	stream, err := client(s, "https://api.openai.com/v1", key).CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
		Model: "m", Stream: true, StreamOptions: &openai.StreamOptions{IncludeUsage: true},
		Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
	})
	require.NoError(t, err)
	defer stream.Close()
	var text strings.Builder
	var roles, finishes int
	var usage *openai.Usage
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if chunk.Usage != nil {
			usage = chunk.Usage
		}
		for _, c := range chunk.Choices {
			if c.Delta.Role != "" {
				roles++
			}
			if c.FinishReason == openai.FinishReasonStop {
				finishes++
			}
			text.WriteString(c.Delta.Content)
		}
	}
	assert.Equal(t, "# Title\n\nHello there, world.", text.String())
	assert.Equal(t, 1, roles)
	assert.Equal(t, 1, finishes)
	require.NotNil(t, usage)
	assert.Equal(t, len(Tokens("# Title\n\nHello there, world.")), usage.CompletionTokens)
}

func TestFaults(t *testing.T) {
	tests := []struct {
		kind       string
		wantStatus int
		wantCode   string
	}{
		{"rate_limited", 429, "rate_limit_exceeded"},
		{"insufficient_quota", 429, "insufficient_quota"},
		{"model_not_found", 404, "model_not_found"},
		{"context_length_exceeded", 400, "context_length_exceeded"},
		{"server_error", 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			s := New(Config{Keys: []string{key}, Models: []string{"m"}})
			s.Fail(Fault{Kind: tt.kind})
			_, err := client(s, "https://api.openai.com/v1", key).ListModels(context.Background())
			var apiErr *openai.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantStatus, apiErr.HTTPStatusCode)
			if tt.wantCode != "" {
				assert.Equal(t, tt.wantCode, apiErr.Code)
			}
			_, err = client(s, "https://api.openai.com/v1", key).ListModels(context.Background())
			assert.NoError(t, err, "a fault is used up")
		})
	}
}

func TestTokensJoinBack(t *testing.T) {
	for _, s := range []string{"", "one", "a b  c\n\nd ", "  lead"} {
		assert.Equal(t, s, strings.Join(Tokens(s), ""))
	}
}
