package ai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replay is a RoundTripper that answers with recorded bytes, written to the
// body a few at a time as a network would deliver them, so every event and
// line is split somewhere. It needs no socket, so it runs under wasm too.
type replay struct {
	status int
	body   []byte
	// piece is how many bytes are delivered at a time; 0 means 7.
	piece int
	// hold keeps the body open after the recording, as a stalled provider
	// does.
	hold bool
	// contentType is the answer's; empty means SSE for a 200, else JSON.
	contentType string

	mu   sync.Mutex
	seen []*http.Request
	// closed is closed once the client closes the body.
	closed chan struct{}
}

func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen = append(r.seen, req)
	r.mu.Unlock()
	pr, pw := io.Pipe()
	r.closed = make(chan struct{})
	piece := r.piece
	if piece == 0 {
		piece = 7
	}
	go func() {
		defer close(r.closed)
		for b := r.body; len(b) > 0; {
			n := min(piece, len(b))
			if _, err := pw.Write(b[:n]); err != nil {
				return
			}
			b = b[n:]
		}
		if !r.hold {
			pw.Close()
			return
		}
		// Held open until the client gives up and closes its end.
		_, _ = pw.Write([]byte("\n"))
		_, _ = pw.Write([]byte("\n"))
	}()
	ct := r.contentType
	switch {
	case ct != "":
	case r.status == http.StatusOK:
		ct = "text/event-stream"
	default:
		ct = "application/json"
	}
	return &http.Response{StatusCode: r.status, Header: http.Header{"Content-Type": {ct}}, Body: pr, Request: req}, nil
}

// stream asks c for model m's answer to the prompt p and returns the text,
// what was shown of it on the way, and the error that ended it.
func stream(c *Client) (text, shown string, err error) {
	var b strings.Builder
	text, err = c.Stream(context.Background(), Request{Model: "m", Prompt: "p"}, func(d string) { b.WriteString(d) })
	return text, b.String(), err
}

// recording reads a recorded stream from testdata. A .chunks.txt file holds
// one chunk's JSON a line, as public test suites keep them; it is served as
// their servers serve it, each line a data event, then [DONE]. A .sse file
// is served byte for byte.
func recording(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	if !strings.HasSuffix(name, ".chunks.txt") {
		return raw
	}
	var sse bytes.Buffer
	for _, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		sse.WriteString("data: " + line + "\n\n")
	}
	sse.WriteString("data: [DONE]\n\n")
	return sse.Bytes()
}

func TestRecordedStreams(t *testing.T) {
	tests := []struct {
		file, provider, baseURL string
		want                    string
		wantKind                *Kind
		wantMessage             []string
	}{
		{file: "openai-text.excerpt.chunks.txt", provider: "OpenAI", baseURL: "https://api.openai.com/v1", want: "**Holiday Name:** Harmony Day\n\n"},
		{file: "azure-text.chunks.txt", provider: "Azure", baseURL: "https://example.openai.azure.com/openai/v1", want: "Hello World"},
		{file: "mistral-reasoning.chunks.txt", provider: "Mistral", baseURL: "https://api.mistral.ai/v1", want: "2 + 2 = 4"},
		{file: "groq-text.excerpt.chunks.txt", provider: "Groq", baseURL: "https://api.groq.com/openai/v1", want: `Introducing "Luminaria"`},
		{file: "deepseek-reasoning.excerpt.chunks.txt", provider: "DeepSeek", baseURL: "https://api.deepseek.com/v1", want: "s in **“strawberry”**."},
		{file: "llamacpp-reasoning.sse", provider: "localhost:8080", baseURL: "http://localhost:8080/v1", want: ""},
		{file: "qwen-think.sse", provider: "vLLM", baseURL: "http://localhost:8000/v1", want: "# Hello\n\nNice to meet you."},
		{file: "gpt-oss-harmony.sse", provider: "llama.cpp", baseURL: "http://127.0.0.1:8080/v1", want: "Autumn moonlight,\nquiet pond"},
		{file: "openrouter-processing.sse", provider: "OpenRouter", baseURL: "https://openrouter.ai/api/v1", want: "Thought about it long enough."},
		{
			file: "openrouter-midstream-error.sse", provider: "OpenRouter", baseURL: "https://openrouter.ai/api/v1",
			want:     "# Launch plan\n\nA short plan for the launch.\n\n## Steps\n\n- Write the ",
			wantKind: ptr(KindUnknown),
			wantMessage: []string{
				"OpenRouter stopped partway through the answer with an error.",
				"What was written so far is kept",
				"OpenRouter said: “Provider disconnected”",
			},
		},
		{
			file: "groq-event-error.sse", provider: "Groq", baseURL: "https://api.groq.com/openai/v1",
			wantKind:    ptr(KindUnavailable),
			wantMessage: []string{"Groq is not answering properly", `Groq said: “Invalid tool_call: tool "name_unknown" does not exist.”`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			for _, piece := range []int{1, 7, 1 << 20} {
				rt := &replay{status: 200, body: recording(t, tt.file), piece: piece}
				text, shown, err := stream(New(&http.Client{Transport: rt}, tt.baseURL, secretKey, WithName(tt.provider)))
				assert.Equal(t, tt.want, text, "piece %d", piece)
				assert.Equal(t, text, shown, "what was shown is what was returned")
				if tt.wantKind == nil {
					require.NoError(t, err)
					continue
				}
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, *tt.wantKind, e.Kind)
				for _, m := range tt.wantMessage {
					assert.Contains(t, e.Message(), m)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestRecordedErrorBodies(t *testing.T) {
	tests := []struct {
		file, provider, baseURL string
		status                  int
		wantKind                Kind
		wantMessage             string
	}{
		{"gemini-400-bad-key.json", "Google Gemini", "https://generativelanguage.googleapis.com/v1beta/openai", 400, KindUnauthorized, "Google Gemini did not accept the API key."},
		{"anthropic-401-bad-key.json", "Anthropic", "https://api.anthropic.com/v1", 401, KindUnauthorized, "Anthropic did not accept the API key."},
		{"anthropic-400-credit.json", "Anthropic", "https://api.anthropic.com/v1", 400, KindQuota, "Your Anthropic account has no quota left."},
		{"anthropic-529-overloaded.json", "Anthropic", "https://api.anthropic.com/v1", 529, KindUnavailable, "Anthropic is not answering properly right now."},
		{"ollama-404-model.json", "Ollama", "http://localhost:11434/v1", 404, KindModelNotFound, "Ollama does not offer this model"},
		{"ollama-403-origin.json", "Ollama", "http://127.0.0.1:11434/v1", 403, KindOriginRefused, "OLLAMA_ORIGINS=chrome-extension://*,moz-extension://* ollama serve"},
		{"openrouter-402-credits.json", "OpenRouter", "https://openrouter.ai/api/v1", 402, KindQuota, "Your OpenRouter account has no quota left."},
		{"openrouter-429-rate.json", "OpenRouter", "https://openrouter.ai/api/v1", 429, KindRateLimited, "OpenRouter is rate-limiting requests."},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "errors", tt.file))
			require.NoError(t, err)
			c := New(&http.Client{Transport: &replay{status: tt.status, body: body}}, tt.baseURL, secretKey, WithName(tt.provider))
			_, _, serr := stream(c)
			_, merr := c.Models(context.Background())
			for _, err := range []error{serr, merr} {
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tt.wantKind, e.Kind)
				assert.Contains(t, e.Message(), tt.wantMessage)
				assert.Empty(t, e.Said, "a refused request's own text is never shown")
			}
		})
	}
}

func TestOllamaCommandNamesTheBrowser(t *testing.T) {
	for origin, want := range map[string]string{
		"chrome-extension://*": "OLLAMA_ORIGINS=chrome-extension://* ollama serve",
		"moz-extension://*":    "OLLAMA_ORIGINS=moz-extension://* ollama serve",
	} {
		c := New(&http.Client{Transport: &replay{status: 403}}, "http://localhost:11434/v1", "", WithName("Ollama"), WithOrigin(origin))
		_, err := c.Models(context.Background())
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.True(t, strings.HasSuffix(e.Message(), want), e.Message())
	}
}

func TestAnthropicGetsTheBrowserHeaderOnEveryRequest(t *testing.T) {
	rt := &replay{status: 200, body: recording(t, "azure-text.chunks.txt")}
	c := New(&http.Client{Transport: rt}, "https://api.anthropic.com/v1/", secretKey, WithName("Anthropic"))
	_, err := c.Stream(context.Background(), Request{Model: "claude-sonnet-4-5", Prompt: "p"}, func(string) {})
	require.NoError(t, err)
	rt.body = []byte(`{"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5"}],"has_more":false}`)
	models, err := c.Models(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"claude-sonnet-4-5"}, models)
	require.Len(t, rt.seen, 2)
	for _, req := range rt.seen {
		assert.Equal(t, "true", req.Header.Get("anthropic-dangerous-direct-browser-access"), req.URL.Path)
	}

	other := &replay{status: 200, body: recording(t, "azure-text.chunks.txt")}
	_, _, err = stream(New(&http.Client{Transport: other}, "https://api.openai.com/v1", secretKey))
	require.NoError(t, err)
	assert.Empty(t, other.seen[0].Header.Get("anthropic-dangerous-direct-browser-access"), "no other provider is told")
}

func TestReasoningModelsThroughARouter(t *testing.T) {
	tests := []struct {
		model     string
		reasoning bool
	}{
		{"gpt-5-mini", true},
		{"openai/gpt-5", true},
		{"openai/o3-mini", true},
		{"openai/o4-mini-high", true},
		{"o1", true},
		{"gpt-4.1", false},
		{"openai/gpt-4o", false},
		{"anthropic/claude-sonnet-4.5", false},
		{"deepseek/deepseek-r1", false},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			rt := &replay{status: 200, body: recording(t, "azure-text.chunks.txt")}
			_, err := New(&http.Client{Transport: rt}, "https://openrouter.ai/api/v1", secretKey).
				Stream(context.Background(), Request{Model: tt.model, Prompt: "p", Temperature: 0.7, MaxTokens: 500}, func(string) {})
			require.NoError(t, err)
			raw, err := io.ReadAll(rt.seen[0].Body)
			require.NoError(t, err)
			var body map[string]any
			require.NoError(t, json.Unmarshal(raw, &body))
			assert.Equal(t, tt.model, body["model"], "the model is sent as named")
			if tt.reasoning {
				assert.NotContains(t, body, "temperature")
				assert.NotContains(t, body, "max_tokens")
				assert.EqualValues(t, 500, body["max_completion_tokens"])
			} else {
				assert.InDelta(t, 0.7, body["temperature"], 0.001)
				assert.EqualValues(t, 500, body["max_tokens"])
				assert.NotContains(t, body, "max_completion_tokens")
			}
		})
	}
}

// TestStreamCancelClosesTheStream runs under wasm too: there, cancelling
// the context does not unblock a read, so only closing the stream stops a
// provider that went quiet.
func TestStreamCancelClosesTheStream(t *testing.T) {
	rt := &replay{status: 200, body: []byte("data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\n"), hold: true}
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		text string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		text, err := New(&http.Client{Transport: rt}, "https://api.openai.com/v1", secretKey).
			Stream(ctx, Request{Model: "m", Prompt: "p"}, func(string) { cancel() })
		got <- result{text, err}
	}()
	select {
	case r := <-got:
		require.ErrorIs(t, r.err, context.Canceled)
		assert.Equal(t, "Hello", r.text, "what came before the cancel is kept")
	case <-time.After(2 * time.Second):
		t.Fatal("a cancelled stream must stop within two seconds")
	}
	select {
	case <-rt.closed:
	case <-time.After(2 * time.Second):
		t.Fatal("the stream's body was never closed")
	}
}

func TestAKeyInTheProvidersReasonIsNeverShown(t *testing.T) {
	tests := []struct{ name, message string }{
		{"the key's last characters", "Incorrect API key provided: sk-test-****CRET."},
		{"masked", "key ****"},
		{"a key prefix", "bad sk-proj key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, _ := json.Marshal(tt.message)
			body := []byte("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"error\":{\"code\":401,\"message\":" + string(msg) + "}}\n\n")
			_, _, err := stream(New(&http.Client{Transport: &replay{status: 200, body: body}}, "https://openrouter.ai/api/v1", secretKey, WithName("OpenRouter")))
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, KindUnauthorized, e.Kind)
			assert.Empty(t, e.Said)
			for _, text := range []string{e.Message(), e.Error()} {
				assert.NotContains(t, text, "CRET")
				assert.NotContains(t, text, "sk-")
			}
		})
	}
}

func TestALookAlikeOfLocalhostIsNotLocal(t *testing.T) {
	for _, baseURL := range []string{"http://localhost.attacker.example/v1", "http://127.0.0.1.attacker.example:11434/v1"} {
		_, err := New(&http.Client{Transport: &replay{status: 403}}, baseURL, secretKey).Models(context.Background())
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, KindUnauthorized, e.Kind, "%s is not a local Ollama", baseURL)
		assert.NotContains(t, e.Message(), "OLLAMA_ORIGINS")

		_, err = New(&http.Client{Transport: &answer{err: errors.New("dial tcp: connection refused")}}, baseURL, secretKey).Models(context.Background())
		require.ErrorAs(t, err, &e)
		assert.Equal(t, KindNetwork, e.Kind)
		assert.NotContains(t, e.Message(), "local server", baseURL)
	}
}
