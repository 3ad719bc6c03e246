package ai

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChunkContent(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a string", `"Hi"`, "Hi"},
		{"null", `null`, ""},
		{"empty", `""`, ""},
		{"text parts only", `[{"type":"thinking","thinking":[{"type":"text","text":"no"}]},{"type":"text","text":"a"},{"type":"text","text":"b"}]`, "ab"},
		{"unknown parts dropped", `[{"type":"reference","reference_ids":[1]},{"type":"text","text":"x"}]`, "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c content
			require.NoError(t, json.Unmarshal([]byte(tt.in), &c))
			assert.Equal(t, tt.want, string(c))
		})
	}
}

func TestStreamErrorShapes(t *testing.T) {
	tests := []struct {
		in         string
		msg, code  string
		wantStatus int
	}{
		{`{"message":"m","code":"server_error"}`, "m", "server_error", 0},
		{`{"message":"m","code":429}`, "m", "429", 429},
		{`{"message":"m","code":null}`, "m", "", 0},
		{`"plain"`, "plain", "", 0},
		{`{"message":"m","code":7}`, "m", "7", 0},
	}
	for _, tt := range tests {
		var e streamError
		require.NoError(t, json.Unmarshal([]byte(tt.in), &e), tt.in)
		assert.Equal(t, tt.msg, e.Message, tt.in)
		assert.Equal(t, tt.code, e.Code, tt.in)
		assert.Equal(t, tt.wantStatus, e.status(), tt.in)
	}
}

func FuzzChunk(f *testing.F) {
	for _, s := range []string{
		`{"choices":[{"delta":{"content":"x"}}]}`, `{"choices":[{"delta":{"content":[{"type":"text","text":"y"}]}}]}`,
		`{"error":{"code":502,"message":"m"}}`, `{"error":"s"}`, `{"choices":[{"delta":{"content":null}}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var ch chunk
		if json.Unmarshal([]byte(in), &ch) != nil {
			return
		}
		// What a plain string decodes to is that string, unchanged.
		var plain struct {
			Choices []struct {
				Delta struct {
					Content *string `json:"content"`
				} `json:"delta"`
			} `json:"choices"`
		}
		if json.Unmarshal([]byte(in), &plain) == nil {
			for i, c := range plain.Choices {
				if c.Delta.Content != nil && i < len(ch.Choices) {
					assert.Equal(t, *c.Delta.Content, string(ch.Choices[i].Delta.Content))
				}
			}
		}
		if ch.Error != nil {
			if s := ch.Error.status(); s != 0 && (s < 100 || s > 599) {
				t.Fatalf("status %d out of range", s)
			}
		}
	})
}
