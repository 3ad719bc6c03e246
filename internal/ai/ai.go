// Package ai talks to any OpenAI-compatible provider through go-openai:
// OpenAI, Gemini's OpenAI endpoint, OpenRouter, a local Ollama or a custom
// base URL. Failures come back as *Error with a sentence for a person.
package ai

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/sashabaranov/go-openai"
)

// Client is one provider, reached at a base URL with an optional key.
type Client struct {
	api     *openai.Client
	baseURL string
	name    string
	origin  string
	// key is kept only to keep any part of it out of what a person is
	// shown.
	key string
}

// Option changes how a Client is made.
type Option func(*Client)

// WithName names the provider in messages as the person chose it ("OpenAI",
// "Google Gemini"); without it, messages name the provider's host.
func WithName(name string) Option {
	return func(c *Client) { c.name = name }
}

// WithOrigin names the extension's origin pattern ("chrome-extension://*"
// or "moz-extension://*") in the command a refused local Ollama message
// gives.
func WithOrigin(origin string) Option {
	return func(c *Client) { c.origin = origin }
}

// New makes a client for the provider at baseURL (such as
// "https://api.openai.com/v1"), sending requests through hc.
func New(hc *http.Client, baseURL, apiKey string, opts ...Option) *Client {
	cfg := openai.DefaultConfig(apiKey)
	cfg.BaseURL = strings.TrimRight(baseURL, "/")
	cfg.HTTPClient = withTransport(hc)
	c := &Client{api: openai.NewClientWithConfig(cfg), baseURL: cfg.BaseURL, key: apiKey}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// Models lists the model IDs the provider offers, sorted.
func (c *Client) Models(ctx context.Context) ([]string, error) {
	list, err := c.api.ListModels(ctx)
	if err != nil {
		return nil, c.classify(err)
	}
	ids := make([]string, 0, len(list.Models))
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	sort.Strings(ids)
	return ids, nil
}
