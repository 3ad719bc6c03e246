// Package engine is the background's core: named calls that take JSON from
// the extension and answer with a reply the popup can show as it is. The
// wasm bridge only moves bytes between JavaScript and Call.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/failure"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/prompts"
	"github.com/visen/visen/internal/rowtemplate"
)

// Engine serves calls. One Engine lives for the whole background, so every
// Notion request shares one rate limiter.
type Engine struct {
	notionHTTP *http.Client
	aiHTTP     *http.Client
	handlers   map[string]handler
	running    running
	// tokens remembers who each Notion token acts as, by the token's hash,
	// so a failure is explained in the token's own terms.
	tokens sync.Map
}

type handler func(ctx context.Context, payload json.RawMessage) (any, error)

// call makes the handler of a call whose payload is a T.
func call[T any](run func(context.Context, T) (any, error)) handler {
	return func(ctx context.Context, payload json.RawMessage) (any, error) {
		req, err := decode[T](payload)
		if err != nil {
			return nil, err
		}
		return run(ctx, req)
	}
}

// New makes an engine whose requests go out through base (nil means
// http.DefaultTransport, which is fetch under wasm).
func New(base http.RoundTripper, opts ...notion.TransportOption) *Engine {
	if base == nil {
		base = http.DefaultTransport
	}
	e := &Engine{
		notionHTTP: &http.Client{Transport: notion.NewTransport(base, opts...)},
		aiHTTP:     &http.Client{Transport: base},
		running:    running{cancels: map[string]context.CancelFunc{}, pages: map[string]string{}},
	}
	e.handlers = map[string]handler{
		"testConnection": call(e.testConnection),
		"checkNotion":    call(e.checkNotion),
		"inspectTarget":  call(e.inspectTarget),
		"listModels":     call(e.listModels),
		"queryRows":      call(e.queryRows),
		"previewRow":     call(e.previewRow),
		"convert":        call(e.convert),
		"readPage":       call(e.readPage),
		"actionPrompt":   call(e.actionPrompt),
		"trashBlocks":    call(e.trashBlocks),
		"restoreBlocks":  call(e.restoreBlocks),
		"createSubpage":  call(e.createSubpage),
	}
	return e
}

// AIConnection is how a call reaches the AI provider. The same fields, in
// the same place of every request, carry the key to the one provider the
// person chose, whatever the call.
type AIConnection struct {
	BaseURL string `json:"baseUrl"`
	APIKey  string `json:"apiKey"`
	// Provider names the provider as the person chose it, for messages.
	Provider string `json:"provider"`
	// ExtensionOrigin is the extension's origin pattern
	// ("chrome-extension://*"), for the command that lets Ollama answer it.
	ExtensionOrigin string `json:"extensionOrigin,omitempty"`
}

// provider is the AI provider of c, named in messages as the person chose
// it. An empty key is sent as no key: no other secret stands in for it.
func (e *Engine) provider(c AIConnection) *ai.Client {
	return ai.New(e.aiHTTP, c.BaseURL, c.APIKey, ai.WithName(c.Provider), ai.WithOrigin(c.ExtensionOrigin))
}

// Reply is what every call answers: data on success, or an error a person
// can read.
type Reply struct {
	OK    bool     `json:"ok"`
	Data  any      `json:"data,omitempty"`
	Error *Failure `json:"error,omitempty"`
}

// Failure is a failed call as the popup shows it.
type Failure struct {
	Code            string   `json:"code"`
	Message         string   `json:"message"`
	IntegrationName string   `json:"integrationName,omitempty"`
	Steps           []string `json:"steps,omitempty"`
	// Problems lists every mistake in a row template.
	Problems []rowtemplate.Problem `json:"problems,omitempty"`
	// Cause is what went wrong underneath, for the background's console
	// and a bug report; the popup never shows it. It holds no secret, as
	// no error the engine makes quotes a request's headers.
	Cause string `json:"cause,omitempty"`
}

// Call runs the named call with its JSON payload and returns the JSON reply.
func (e *Engine) Call(ctx context.Context, name string, payload []byte) []byte {
	h, ok := e.handlers[name]
	var r Reply
	if !ok {
		r = Reply{Error: &Failure{Code: "internal", Message: fmt.Sprintf("Visen has no action called %q. Reload the extension.", name)}}
	} else if data, err := h(ctx, payload); err != nil {
		r = Reply{Error: failureOf(e.explain(ctx, err, secretOf(payload)))}
	} else {
		r = Reply{OK: true, Data: data}
	}
	return marshalReply(r)
}

// inputError is a request the engine refuses before calling anyone.
type inputError struct {
	code, message string
}

func (e *inputError) Error() string   { return e.code + ": " + e.message }
func (e *inputError) Code() string    { return e.code }
func (e *inputError) Message() string { return e.message }

// MalformedError is a payload the engine cannot read: a bug in the
// extension, or a stored job it cannot resume. Err says what was wrong.
type MalformedError struct {
	// What names the payload, such as "the saved job".
	What string
	Err  error
}

func (e *MalformedError) Error() string {
	return "engine: " + e.What + " is malformed: " + e.Err.Error()
}

func (e *MalformedError) Unwrap() error { return e.Err }

// Code is the stable name the popup receives.
func (e *MalformedError) Code() string {
	if e.What == savedJob {
		return "invalid_snapshot"
	}
	return "internal"
}

// Message is the sentence a person reads.
func (e *MalformedError) Message() string {
	if e.What == savedJob {
		return "Visen could not read where this job stopped, so it did not resume it and wrote nothing. Copy the Markdown to keep the text, and start it again."
	}
	return "Visen received a malformed request. Reload the extension."
}

// The errors a person reads, each in the one protocol.
var _ = []failure.Error{
	(*inputError)(nil), (*MalformedError)(nil), (*rowtemplate.Error)(nil), (*prompts.InputError)(nil),
	(*notion.Error)(nil), (*notion.TooLargeError)(nil), (*notion.BlockNotOnPageError)(nil), (*notion.FilterError)(nil),
	(*ai.Error)(nil),
}

func failureOf(err error) *Failure {
	f := humanFailure(err)
	f.Cause = err.Error()
	return f
}

func humanFailure(err error) *Failure {
	var fe failure.Error
	switch {
	case errors.As(err, &fe):
		f := &Failure{Code: fe.Code(), Message: fe.Message()}
		switch fe := fe.(type) {
		case *notion.Error:
			if f.Steps = fe.ConnectSteps(); f.Steps != nil {
				f.IntegrationName = fe.Integration
			}
		case *rowtemplate.Error:
			f.Problems = fe.Problems
		}
		return f
	case errors.Is(err, context.Canceled):
		return &Failure{Code: "cancelled", Message: "Stopped."}
	case errors.Is(err, context.DeadlineExceeded):
		return &Failure{Code: "timeout", Message: "That took too long. Try again."}
	}
	return &Failure{Code: "internal", Message: "Something went wrong inside Visen. Try again."}
}

func decode[T any](payload json.RawMessage) (T, error) {
	var v T
	if err := json.Unmarshal(payload, &v); err != nil {
		return v, &MalformedError{What: "the request", Err: err}
	}
	return v, nil
}

// Safely runs one call of the bridge and turns a panic into a failed
// reply. Under WebAssembly a panic would end the engine, and every later
// call would fail until the background restarted.
func Safely(run func() []byte) (out []byte) {
	defer func() {
		if r := recover(); r != nil {
			out = marshalReply(Reply{Error: &Failure{
				Code:    "internal",
				Message: "Something went wrong inside Visen. Your text is kept; try again, and if it happens again, report it with the details from the extension's console.",
				Cause:   fmt.Sprintf("panic: %v", r),
			}})
		}
	}()
	return run()
}
