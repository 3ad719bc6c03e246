// Package fakeai is a strict fake of the OpenAI chat API as go-openai uses
// it. It answers at any prefix (/v1 for OpenAI and custom URLs,
// /v1beta/openai for Gemini, /api/v1 for OpenRouter), checks keys, streams
// scripted answers exactly as the real API does, records every request and
// can be told to fail.
package fakeai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Config is what the fake accepts and answers.
type Config struct {
	// Keys are the accepted API keys; AllowNoKey also accepts requests with
	// none, as a local Ollama does.
	Keys       []string `json:"keys"`
	AllowNoKey bool     `json:"allowNoKey,omitempty"`
	Models     []string `json:"models"`
	// Answer is the default reply to a chat completion. In any answer,
	// queued ones too, {{prompt}} stands for the request's last user
	// message, so a test can see which prompt each answer came from;
	// {{topic}} stands for what that prompt asks about (see Topic) and
	// {{title}} for the same with a capital letter, so an answer can be
	// about each prompt while staying the same for the same prompt. A
	// request to continue a draft is answered with what follows the draft.
	Answer string `json:"answer"`
	// TokensPerSecond paces streamed answers; 0 streams at once.
	TokensPerSecond int `json:"tokensPerSecond,omitempty"`
	// FirstTokenMillis is how long a streamed answer waits before its
	// first token, as a real model thinks before it writes.
	FirstTokenMillis int `json:"firstTokenMs,omitempty"`
}

// Fault makes the next matching requests fail.
type Fault struct {
	// Kind is one of: unauthorized, rate_limited, insufficient_quota,
	// model_not_found, context_length_exceeded, server_error, disconnect
	// (drop the connection after AfterTokens streamed tokens), stall (stop
	// sending after AfterTokens tokens and hold the connection open until
	// the client gives up).
	Kind string `json:"kind"`
	// Path selects requests whose path ends with it, such as
	// "/chat/completions"; empty matches any.
	Path string `json:"path,omitempty"`
	// Times is how many matching requests fail; 0 means one.
	Times       int `json:"times,omitempty"`
	AfterTokens int `json:"afterTokens,omitempty"`
	// RetryAfter, in seconds, is sent as the Retry-After header of an
	// error answer, as rate-limiting providers do.
	RetryAfter float64 `json:"retryAfter,omitempty"`
}

// UnknownFaultError reports a fault of a kind the fake cannot play.
type UnknownFaultError struct {
	Kind string
}

func (e *UnknownFaultError) Error() string {
	return fmt.Sprintf("fakeai: unknown fault kind %q", e.Kind)
}

// Request is one request as the fake received it.
type Request struct {
	Time   time.Time           `json:"time"`
	Method string              `json:"method"`
	Host   string              `json:"host"`
	Path   string              `json:"path"`
	Query  string              `json:"query,omitempty"`
	Header map[string][]string `json:"header"`
	Body   string              `json:"body,omitempty"`
}

// Server is the fake; make it with New.
type Server struct {
	// Split cuts an answer into the pieces streamed; nil streams words.
	Split func(answer string) []string

	mu         sync.Mutex
	cfg        Config
	answers    []string
	recordings [][]byte
	faults     []Fault
	requests   []Request
}

// New makes a fake with cfg.
func New(cfg Config) *Server {
	return &Server{cfg: cfg}
}

// Reset replaces the configuration and forgets requests, answers and faults.
func (s *Server) Reset(cfg Config) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg, s.answers, s.recordings, s.faults, s.requests = cfg, nil, nil, nil, nil
}

// Config returns a copy of what the fake accepts and answers now.
func (s *Server) Config() Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg := s.cfg
	cfg.Keys, cfg.Models = slices.Clone(cfg.Keys), slices.Clone(cfg.Models)
	return cfg
}

// Configure replaces what the fake accepts and answers, keeping the requests,
// answers and faults it holds.
func (s *Server) Configure(cfg Config) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg = cfg
}

// SetPace streams answers at tokensPerSecond; 0 streams at once.
func (s *Server) SetPace(tokensPerSecond int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.TokensPerSecond = tokensPerSecond
}

// QueueAnswer makes the next chat completion answer text.
func (s *Server) QueueAnswer(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers = append(s.answers, text)
}

// QueueRecording makes the next chat completion stream sse, a provider's
// recorded stream, byte for byte, in place of an answer.
func (s *Server) QueueRecording(sse []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordings = append(s.recordings, sse)
}

// Fail queues a fault, refusing a kind it cannot play.
func (s *Server) Fail(f Fault) error {
	if _, ok := faultErrors[f.Kind]; !ok && f.Kind != "disconnect" && f.Kind != "stall" {
		return &UnknownFaultError{Kind: f.Kind}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, f)
	return nil
}

// Requests returns a copy of every request since the last Reset.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Time: time.Now(), Method: r.Method, Host: r.Host, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(body)})
	cfg := s.cfg
	s.mu.Unlock()

	if refusedByAnthropic(r) {
		writeJSON(w, 401, map[string]any{"type": "error", "error": map[string]any{
			"type": "authentication_error", "message": "CORS requests must set 'anthropic-dangerous-direct-browser-access' header",
		}})
		return
	}
	if !authorized(cfg, r.Header.Get("Authorization")) {
		// Never echo the key, not even the part of it the real API shows.
		apiError(w, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.")
		return
	}
	fault := s.takeFault(r.URL.Path)
	if f, ok := faultErrors[fault.Kind]; ok {
		if fault.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.FormatFloat(fault.RetryAfter, 'f', -1, 64))
		}
		apiError(w, f.status, f.typ, f.code, f.message)
		return
	}
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/models"):
		cutOff(r, fault)
		data := make([]map[string]any, 0, len(cfg.Models))
		for _, m := range cfg.Models {
			data = append(data, map[string]any{"id": m, "object": "model", "created": 1735689600, "owned_by": "system"})
		}
		writeJSON(w, 200, map[string]any{"object": "list", "data": data})
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/chat/completions"):
		s.chat(w, r, body, cfg, fault)
	default:
		apiError(w, 404, "invalid_request_error", "unknown_url", fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path))
	}
}

// authorized checks the Authorization header against the accepted keys.
// A client with an empty key sends "Bearer " and the server sees "Bearer",
// since header values lose trailing spaces, so both mean no key.
func authorized(cfg Config, header string) bool {
	scheme, key, _ := strings.Cut(strings.TrimSpace(header), " ")
	key = strings.TrimSpace(key)
	if header != "" && scheme != "Bearer" {
		return false
	}
	if key == "" {
		return cfg.AllowNoKey
	}
	return slices.Contains(cfg.Keys, key)
}

// refusedByAnthropic says Anthropic's API would refuse r: a request from a
// browser (it has an Origin) must say it knows its key is exposed there.
func refusedByAnthropic(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.EqualFold(host, "api.anthropic.com") && r.Header.Get("Origin") != "" &&
		r.Header.Get("anthropic-dangerous-direct-browser-access") != "true"
}

// Ollama serves s as a local Ollama does: a request from a browser
// extension's origin is refused with an empty 403, as Ollama refuses any
// origin not in its defaults or OLLAMA_ORIGINS, and a request with no
// Origin, or a local page's, is served.
func (s *Server) Ollama() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if strings.HasPrefix(origin, "chrome-extension://") || strings.HasPrefix(origin, "moz-extension://") ||
			strings.HasPrefix(origin, "safari-web-extension://") || (origin != "" && !localOrigin(origin)) {
			s.mu.Lock()
			s.requests = append(s.requests, Request{Time: time.Now(), Method: r.Method, Host: r.Host, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()})
			s.mu.Unlock()
			w.WriteHeader(http.StatusForbidden)
			return
		}
		s.ServeHTTP(w, r)
	})
}

// localOrigin is an origin Ollama allows by default: a page of this
// computer over http or https, on any port.
func localOrigin(origin string) bool {
	for _, scheme := range []string{"http://", "https://"} {
		rest, ok := strings.CutPrefix(origin, scheme)
		if !ok {
			continue
		}
		host := rest
		if h, _, err := net.SplitHostPort(rest); err == nil {
			host = h
		}
		if host == "localhost" || host == "127.0.0.1" || host == "0.0.0.0" {
			return true
		}
	}
	return false
}

// takeFault returns the first fault matching path, using it up.
func (s *Server) takeFault(path string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if strings.HasSuffix(path, f.Path) {
			s.faults[i].Times--
			if s.faults[i].Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return Fault{}
}

type errorAnswer struct {
	status             int
	typ, code, message string
}

// faultErrors are the real API's answers for each error fault.
var faultErrors = map[string]errorAnswer{
	"unauthorized":            {401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided."},
	"rate_limited":            {429, "requests", "rate_limit_exceeded", "Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s."},
	"insufficient_quota":      {429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details."},
	"model_not_found":         {404, "invalid_request_error", "model_not_found", "The model does not exist or you do not have access to it."},
	"context_length_exceeded": {400, "invalid_request_error", "context_length_exceeded", "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens."},
	"server_error":            {500, "server_error", "", "The server had an error while processing your request. Sorry about that!"},
}

func apiError(w http.ResponseWriter, status int, typ, code, message string) {
	var c any
	if code != "" {
		c = code
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": message, "type": typ, "param": nil, "code": c}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// continueDraft is how a resumed generation asks the model to go on from
// its draft (see the job package): the prompt, this, then the draft.
const continueDraft = "\n\nContinue exactly where this draft stops, without repeating it:\n\n"

type chatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Stream        bool `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request, body []byte, cfg Config, fault Fault) {
	var req chatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		apiError(w, 400, "invalid_request_error", "", "We could not parse the JSON body of your request.")
		return
	}
	if !slices.Contains(cfg.Models, req.Model) {
		e := faultErrors["model_not_found"]
		apiError(w, e.status, e.typ, e.code, fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", req.Model))
		return
	}
	s.mu.Lock()
	var recording []byte
	if len(s.recordings) > 0 && req.Stream {
		recording, s.recordings = s.recordings[0], s.recordings[1:]
	}
	answer := cfg.Answer
	if len(s.answers) > 0 && recording == nil {
		answer, s.answers = s.answers[0], s.answers[1:]
	}
	s.mu.Unlock()
	if recording != nil {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(200)
		_, _ = w.Write(recording)
		return
	}
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == "user" {
			prompt, draft, resumed := strings.Cut(req.Messages[i].Content, continueDraft)
			answer = fillIn(answer, prompt)
			if resumed {
				// A well-behaved model continues the draft without repeating it.
				answer = strings.TrimPrefix(answer, draft)
			}
			break
		}
	}
	id := fmt.Sprintf("chatcmpl-%d", time.Now().UnixNano())
	split := s.Split
	if split == nil {
		split = Tokens
	}
	tokens := split(answer)
	usage := map[string]any{"prompt_tokens": len(body) / 4, "completion_tokens": len(tokens), "total_tokens": len(body)/4 + len(tokens)}
	if !req.Stream {
		cutOff(r, fault)
		writeJSON(w, 200, map[string]any{
			"id": id, "object": "chat.completion", "created": time.Now().Unix(), "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": answer}, "finish_reason": "stop"}},
			"usage":   usage,
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(200)
	flusher, _ := w.(http.Flusher)
	send := func(v any) {
		var buf bytes.Buffer
		buf.WriteString("data: ")
		_ = json.NewEncoder(&buf).Encode(v)
		buf.WriteString("\n")
		_, _ = w.Write(buf.Bytes())
		if flusher != nil {
			flusher.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{
			"id": id, "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	var gap time.Duration
	if cfg.TokensPerSecond > 0 {
		gap = time.Second / time.Duration(cfg.TokensPerSecond)
	}
	if cfg.FirstTokenMillis > 0 {
		select {
		case <-time.After(time.Duration(cfg.FirstTokenMillis) * time.Millisecond):
		case <-r.Context().Done():
			return
		}
	}
	for i, tok := range tokens {
		if i == fault.AfterTokens {
			cutOff(r, fault)
		}
		if gap > 0 {
			select {
			case <-time.After(gap):
			case <-r.Context().Done():
				return
			}
		}
		send(chunk(map[string]any{"content": tok}, nil))
	}
	if fault.AfterTokens >= len(tokens) {
		cutOff(r, fault)
	}
	send(chunk(map[string]any{}, "stop"))
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		send(map[string]any{"id": id, "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": req.Model, "choices": []any{}, "usage": usage})
	}
	_, _ = io.WriteString(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

// cutOff plays a disconnect or stall fault: the connection drops, at once
// or once the client has given up waiting.
func cutOff(r *http.Request, f Fault) {
	switch f.Kind {
	case "stall":
		<-r.Context().Done()
		panic(http.ErrAbortHandler)
	case "disconnect":
		panic(http.ErrAbortHandler)
	}
}

// Tokens splits text the way the fake streams it: words with their
// following spaces, so the pieces join back to the text exactly.
func Tokens(text string) []string {
	var out []string
	start := 0
	for i := 1; i < len(text); i++ {
		if text[i-1] == ' ' || text[i-1] == '\n' {
			if text[i] != ' ' && text[i] != '\n' {
				out = append(out, text[start:i])
				start = i
			}
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}
