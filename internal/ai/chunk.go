package ai

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// chunk is one streamed chat completion chunk, as providers really send
// it: go-openai's own type takes content only as a string and has no
// top-level error.
type chunk struct {
	Choices []struct {
		Delta struct {
			Content content `json:"content"`
		} `json:"delta"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	// Error is OpenRouter's error inside a chunk of a 200 stream, and the
	// data of Groq's "event: error".
	Error *streamError `json:"error"`
}

// content is a delta's text: a string, null, or (Mistral's Magistral) an
// array of parts of which only "text" parts are the answer; "thinking"
// parts and any other kind are not.
type content string

func (c *content) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*c = ""
		return nil
	case len(b) > 0 && b[0] == '[':
		var parts []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(b, &parts); err != nil {
			return err
		}
		var s strings.Builder
		for _, p := range parts {
			if p.Type == "text" {
				s.WriteString(p.Text)
			}
		}
		*c = content(s.String())
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*c = content(s)
	return nil
}

// streamError is an error a provider sent inside a stream: an object with
// a message and a code that is a string (OpenAI, Groq) or a number
// (OpenRouter's HTTP status), or a bare string.
type streamError struct {
	Message string
	Type    string
	Code    string
}

func (e *streamError) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		e.Message = s
		return nil
	}
	var raw struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Code    json.RawMessage `json:"code"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	e.Message, e.Type = raw.Message, raw.Type
	var code string
	if json.Unmarshal(raw.Code, &code) == nil {
		e.Code = code
	} else if n, err := strconv.Atoi(string(bytes.TrimSpace(raw.Code))); err == nil {
		e.Code = strconv.Itoa(n)
	}
	return nil
}

// status is the HTTP status a numeric code stands for, as OpenRouter sends
// it; 0 for any other code.
func (e *streamError) status() int {
	n, err := strconv.Atoi(e.Code)
	if err != nil || n < 100 || n > 599 {
		return 0
	}
	return n
}
