package ai

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/visen/visen/internal/failure"
)

// Kind sorts provider failures by what a person has to do about them.
type Kind int

// The kinds of failure, each with its own message.
const (
	KindUnknown Kind = iota
	KindUnauthorized
	KindRateLimited
	KindQuota
	KindModelNotFound
	KindContextTooLong
	KindUnavailable
	KindNetwork
	KindOriginRefused
)

var kindCodes = map[Kind]string{
	KindUnknown:        "ai_error",
	KindUnauthorized:   "ai_unauthorized",
	KindRateLimited:    "ai_rate_limited",
	KindQuota:          "ai_quota",
	KindModelNotFound:  "ai_model_not_found",
	KindContextTooLong: "ai_context_too_long",
	KindUnavailable:    "ai_unavailable",
	KindNetwork:        "ai_network",
	KindOriginRefused:  "ai_origin_refused",
}

// Code is the stable name the popup receives for a kind.
func (k Kind) Code() string { return kindCodes[k] }

// Error is a failed provider call. Neither its Error text nor its Message
// holds the key: providers' own messages can echo part of it, so they are
// never passed on.
type Error struct {
	Kind   Kind
	Status int
	// Host is the provider's host.
	Host string
	// Name is the provider as the person chose it, named in messages
	// instead of the host when set.
	Name string
	// RetryAfter is the wait a rate-limiting provider asked for; zero
	// when it did not say.
	RetryAfter time.Duration
	// Midway says the provider sent the error inside its stream, after
	// some of the answer had come.
	Midway bool
	// Said is the provider's own reason for an error inside its stream,
	// kept only when it shows no part of the key; otherwise empty.
	Said string
	// Origin is the extension's origin pattern, such as
	// "chrome-extension://*", named in the command that lets a local
	// Ollama answer the extension; empty names both browsers'.
	Origin string
	Err    error
}

// provider is how messages name the provider.
func (e *Error) provider() string {
	if e.Name != "" {
		return e.Name
	}
	return e.Host
}

func (e *Error) Error() string {
	return fmt.Sprintf("ai: %s: status %d: %s", e.Host, e.Status, e.Kind.Code())
}

func (e *Error) Unwrap() error { return e.Err }

// Code is the stable name the popup receives for the failure.
func (e *Error) Code() string { return e.Kind.Code() }

// Message is the sentence a person reads, with what to do next, and the
// provider's own reason when it gave one inside its stream.
func (e *Error) Message() string {
	msg := e.sentence()
	if e.Said != "" {
		msg += fmt.Sprintf(" %s said: “%s”", e.provider(), e.Said)
	}
	return msg
}

func (e *Error) sentence() string {
	switch e.Kind {
	case KindUnauthorized:
		return fmt.Sprintf("%s did not accept the API key. Check that it is copied whole and still active.", e.provider())
	case KindRateLimited:
		return fmt.Sprintf("%s is rate-limiting requests. Wait a moment, then try again.", e.provider())
	case KindQuota:
		return fmt.Sprintf("Your %s account has no quota left. Add credit or raise the limit in its billing settings.", e.provider())
	case KindModelNotFound:
		return fmt.Sprintf("%s does not offer this model, or your key cannot use it. Pick another model.", e.provider())
	case KindContextTooLong:
		return "The prompt is too long for this model. Shorten it, or choose a model with a larger context."
	case KindUnavailable:
		return fmt.Sprintf("%s is not answering properly right now. Try again in a few minutes.", e.provider())
	case KindNetwork:
		if isLocal(e.Host) {
			return fmt.Sprintf("Could not reach %s. Is the local server running?", e.Host)
		}
		return fmt.Sprintf("Could not reach %s. Check your internet connection and the base URL.", e.Host)
	case KindOriginRefused:
		origin := e.Origin
		if origin == "" {
			origin = "chrome-extension://*,moz-extension://*"
		}
		return fmt.Sprintf("%s refused requests from the extension. Quit Ollama and start it again with: OLLAMA_ORIGINS=%s ollama serve", e.provider(), origin)
	}
	if e.Midway {
		return fmt.Sprintf("%s stopped partway through the answer with an error. What was written so far is kept; try again in a moment.", e.provider())
	}
	return fmt.Sprintf("%s answered with an error. Try again, or check the provider settings.", e.provider())
}

func (c *Client) classify(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	e := &Error{Host: hostOf(c.baseURL), Name: c.name, Origin: c.origin, Err: err}
	var api *openai.APIError
	var req *openai.RequestError
	switch {
	case errors.As(err, &api):
		e.Status = api.HTTPStatusCode
		e.Kind = kindOf(api.HTTPStatusCode, fmt.Sprint(api.Code), api.Type, api.Message, e.Host)
	case errors.As(err, &req):
		e.Status = req.HTTPStatusCode
		e.Kind = kindOf(req.HTTPStatusCode, "", "", string(req.Body), e.Host)
	case failure.Unreached(err):
		e.Kind = KindNetwork
	}
	return e
}

// streamError is an error the provider sent inside a stream, midway when
// some of the answer had come.
func (c *Client) streamError(se *streamError, midway bool) error {
	status := se.status()
	e := &Error{
		Host: hostOf(c.baseURL), Name: c.name, Origin: c.origin, Status: status, Midway: midway,
		Kind: kindOf(status, se.Code, se.Type, se.Message, hostOf(c.baseURL)),
		Said: quotable(se.Message, c.key),
		Err:  fmt.Errorf("ai: error in the stream: code %q, type %q", se.Code, se.Type),
	}
	if e.Kind == KindUnknown && !midway {
		// An error in place of any answer, in a stream the provider had
		// accepted, is its own trouble, not the person's settings.
		e.Kind = KindUnavailable
	}
	return e
}

// quotable is a provider's message fit to show a person, or "" when it
// could hold part of the key (OpenAI shows a key's last four characters)
// or is too long to be a reason.
func quotable(message, key string) string {
	m := strings.Join(strings.Fields(message), " ")
	if m == "" || len([]rune(m)) > 300 || strings.Contains(m, "****") || strings.Contains(strings.ToLower(m), "sk-") {
		return ""
	}
	for i := 0; i+4 <= len(key); i++ {
		if strings.Contains(m, key[i:i+4]) {
			return ""
		}
	}
	return m
}

func kindOf(status int, code, typ, message, host string) Kind {
	all := strings.ToLower(code + " " + typ + " " + message)
	switch {
	case status == 401 || strings.Contains(all, "invalid_api_key") || strings.Contains(all, "api_key_invalid") ||
		strings.Contains(all, "authentication_error"):
		return KindUnauthorized
	case status == 402 || strings.Contains(all, "quota") || strings.Contains(all, "credit balance") ||
		strings.Contains(all, "insufficient credits"):
		return KindQuota
	case status == 429:
		return KindRateLimited
	case status == 403 && isLocal(host):
		return KindOriginRefused
	case status == 403:
		return KindUnauthorized
	case strings.Contains(all, "context_length_exceeded") || strings.Contains(all, "maximum context length"):
		return KindContextTooLong
	case status == 404 || strings.Contains(all, "model_not_found"):
		return KindModelNotFound
	case status >= 500 || strings.Contains(all, "overloaded"):
		return KindUnavailable
	}
	return KindUnknown
}

func hostOf(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return "The AI provider"
	}
	return u.Host
}

func isLocal(host string) bool {
	h := host
	if hn, _, err := net.SplitHostPort(host); err == nil {
		h = hn
	}
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}
