//go:build !js

package fakeai

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/testcert"
)

// streamText reads a stream to its end and returns the text and the error
// that ended it, nil for a clean end.
func streamText(t *testing.T, c *openai.Client) (string, error) {
	t.Helper()
	stream, err := c.CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
		Model: "gpt-5-mini", Stream: true, Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
	})
	require.NoError(t, err)
	defer stream.Close()
	var text strings.Builder
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return text.String(), nil
		}
		if err != nil {
			return text.String(), err
		}
		for _, c := range chunk.Choices {
			text.WriteString(c.Delta.Content)
		}
	}
}

// go-openai over real TLS, the real hosts mapped to the fake, where a
// disconnect really lands mid-stream.
func TestStreamOverTLS(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"gpt-5-mini"}, Answer: "one two three four", TokensPerSecond: 1000})
	hc := testcert.Serve(t, s)

	tests := []struct {
		name, base string
		fault      *Fault
		wantText   string
		wantErr    bool
	}{
		{name: "openai", base: "https://api.openai.com/v1", wantText: "one two three four"},
		{name: "gemini", base: "https://generativelanguage.googleapis.com/v1beta/openai", wantText: "one two three four"},
		{name: "openrouter", base: "https://openrouter.ai/api/v1", wantText: "one two three four"},
		{name: "disconnect mid-stream", base: "https://api.openai.com/v1", fault: &Fault{Kind: "disconnect", AfterTokens: 2}, wantText: "one two ", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault != nil {
				require.NoError(t, s.Fail(*tt.fault))
			}
			text, err := streamText(t, clientVia(hc, tt.base, key))
			assert.Equal(t, tt.wantText, text)
			assert.Equal(t, tt.wantErr, err != nil, "%v", err)
		})
	}
}
