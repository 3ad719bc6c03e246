package fakeai

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/testcert"
)

const key = "sk-fake-test-key"

func client(s *Server, baseURL, apiKey string) *openai.Client {
	return clientVia(testcert.Client(s), baseURL, apiKey)
}

// clientVia is go-openai on baseURL with apiKey, sending through hc.
func clientVia(hc *http.Client, baseURL, apiKey string) *openai.Client {
	cfg := openai.DefaultConfig(apiKey)
	cfg.BaseURL = baseURL
	cfg.HTTPClient = hc
	return openai.NewClientWithConfig(cfg)
}

// complete posts a chat completion body with key k and returns the raw
// answer.
func complete(t *testing.T, s *Server, k, body string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "https://api.openai.com/v1/chat/completions", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+k)
	resp, err := testcert.Client(s).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return string(raw)
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
			require.NoError(t, s.Fail(Fault{Kind: tt.kind}))
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

func TestAuthorization(t *testing.T) {
	tests := []struct {
		name, header string
		allowNoKey   bool
		want         bool
	}{
		{name: "accepted key", header: "Bearer " + key, want: true},
		{name: "other key", header: "Bearer sk-other"},
		{name: "no header", header: ""},
		{name: "no header, keyless allowed", header: "", allowNoKey: true, want: true},
		{name: "empty bearer as sent", header: "Bearer ", allowNoKey: true, want: true},
		{name: "empty bearer as received", header: "Bearer", allowNoKey: true, want: true},
		{name: "empty bearer, keyless refused", header: "Bearer"},
		{name: "wrong scheme", header: "Basic " + key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, authorized(Config{Keys: []string{key}, AllowNoKey: tt.allowNoKey}, tt.header))
		})
	}
}

func chat(c *openai.Client, model string) (openai.ChatCompletionResponse, error) {
	return c.CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
		Model: model, Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
	})
}

func TestChatWithoutStreaming(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"m"}, Answer: "default"})
	s.QueueAnswer("first")
	c := client(s, "https://api.openai.com/v1", key)
	for _, want := range []string{"first", "default"} {
		resp, err := chat(c, "m")
		require.NoError(t, err)
		assert.Equal(t, want, resp.Choices[0].Message.Content)
		assert.Equal(t, openai.FinishReasonStop, resp.Choices[0].FinishReason)
	}

	_, err := chat(c, "gpt-nope")
	var apiErr *openai.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.HTTPStatusCode)
	assert.Equal(t, "model_not_found", apiErr.Code)
}

func TestFaultsMatchPath(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"m"}, Answer: "ok"})
	require.NoError(t, s.Fail(Fault{Kind: "rate_limited", Path: "/chat/completions"}))
	c := client(s, "https://api.openai.com/v1", key)
	_, err := c.ListModels(context.Background())
	require.NoError(t, err, "the models list is not a chat")
	_, err = chat(c, "m")
	var apiErr *openai.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 429, apiErr.HTTPStatusCode)
	_, err = chat(c, "m")
	assert.NoError(t, err)
}

func TestUnknownFaultIsRefused(t *testing.T) {
	var unknown *UnknownFaultError
	require.ErrorAs(t, New(Config{}).Fail(Fault{Kind: "explode"}), &unknown)
	assert.Equal(t, "explode", unknown.Kind)
}

func TestConfigureKeepsRequests(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"m"}})
	_, err := client(s, "https://api.openai.com/v1", "sk-new").ListModels(context.Background())
	require.Error(t, err)
	s.Configure(Config{Keys: []string{"sk-new"}, Models: []string{"m"}})
	_, err = client(s, "https://api.openai.com/v1", "sk-new").ListModels(context.Background())
	require.NoError(t, err)
	reqs := s.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "api.openai.com", reqs[1].Host)
	assert.Equal(t, "/v1/models", reqs[1].Path)
	assert.Equal(t, []string{"Bearer sk-new"}, reqs[1].Header["Authorization"])
}

func TestStallEndsWhenTheClientGivesUp(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"m"}, Answer: "a b"})
	require.NoError(t, s.Fail(Fault{Kind: "stall"}))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := client(s, "https://api.openai.com/v1", key).CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
	})
	require.Error(t, err)
	assert.ErrorIs(t, ctx.Err(), context.DeadlineExceeded)
}

func TestAnswerEchoesThePrompt(t *testing.T) {
	s := New(Config{Keys: []string{"k"}, Models: []string{"m"}, Answer: "About: {{prompt}}"})
	body := `{"model":"m","messages":[{"role":"system","content":"rules"},{"role":"user","content":"Write about tea"}]}`
	assert.Contains(t, complete(t, s, "k", body), `"content":"About: Write about tea"`)
}

func TestAResumedDraftGetsOnlyTheRest(t *testing.T) {
	s := New(Config{Keys: []string{"k"}, Models: []string{"m"}, Answer: "About: {{prompt}}. The end."})
	body := `{"model":"m","messages":[{"role":"user","content":"tea\n\nContinue exactly where this draft stops, without repeating it:\n\nAbout: tea. The"}]}`
	assert.Contains(t, complete(t, s, "k", body), `"content":" end."`)
}

func TestAnthropicRefusesABrowserWithoutTheHeader(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"claude-sonnet-4-5"}})
	tests := []struct {
		name    string
		host    string
		headers map[string]string
		want    int
	}{
		{"from a browser without the header", "api.anthropic.com", map[string]string{"Origin": "chrome-extension://abc"}, 401},
		{"from a browser with it", "api.anthropic.com", map[string]string{"Origin": "chrome-extension://abc", "anthropic-dangerous-direct-browser-access": "true"}, 200},
		{"from a server", "api.anthropic.com", nil, 200},
		{"another host", "api.openai.com", map[string]string{"Origin": "chrome-extension://abc"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "https://"+tt.host+"/v1/models", nil)
			req.Header.Set("Authorization", "Bearer "+key)
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			assert.Equal(t, tt.want, rec.Code, rec.Body.String())
			if tt.want == 401 {
				assert.Contains(t, rec.Body.String(), "anthropic-dangerous-direct-browser-access")
			}
		})
	}
}

func TestOllamaRefusesExtensionOrigins(t *testing.T) {
	s := New(Config{AllowNoKey: true, Models: []string{"llama3.2"}})
	for origin, want := range map[string]int{
		"chrome-extension://abcdefghijklmnop": 403,
		"moz-extension://0f1e2d3c":            403,
		"https://evil.example":                403,
		"http://localhost:3000":               200,
		"":                                    200,
	} {
		req := httptest.NewRequest("GET", "http://127.0.0.1:11434/v1/models", nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		rec := httptest.NewRecorder()
		s.Ollama().ServeHTTP(rec, req)
		assert.Equal(t, want, rec.Code, origin)
		if want == 403 {
			assert.Empty(t, rec.Body.String(), "Ollama says nothing more")
		}
	}
	assert.Len(t, s.Requests(), 5, "refused requests are recorded too")
}

func TestARecordingIsStreamedByteForByte(t *testing.T) {
	s := New(Config{Keys: []string{key}, Models: []string{"m"}, Answer: "not this"})
	sse := ": OPENROUTER PROCESSING\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n"
	s.QueueRecording([]byte(sse))
	body := `{"model":"m","stream":true,"messages":[{"role":"user","content":"p"}]}`
	for _, want := range []string{sse, "not this"} {
		req := httptest.NewRequest("POST", "https://openrouter.ai/api/v1/chat/completions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		require.Equal(t, 200, rec.Code)
		if want == sse {
			assert.Equal(t, sse, rec.Body.String())
			assert.Equal(t, "text/event-stream", rec.Header().Get("Content-Type"))
		} else {
			assert.Contains(t, rec.Body.String(), `"content":"not `, "the next answer is the fake's own again")
		}
	}
}
