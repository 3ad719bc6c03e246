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
}

// New makes a client for the provider at baseURL (such as
// "https://api.openai.com/v1"), sending requests through hc.
func New(hc *http.Client, baseURL, apiKey string) *Client {
	cfg := openai.DefaultConfig(apiKey)
	cfg.BaseURL = strings.TrimRight(baseURL, "/")
	cfg.HTTPClient = withRetryAfter(hc)
	return &Client{api: openai.NewClientWithConfig(cfg), baseURL: cfg.BaseURL}
}

// Models lists the model IDs the provider offers, sorted.
func (c *Client) Models(ctx context.Context) ([]string, error) {
	list, err := c.api.ListModels(ctx)
	if err != nil {
		return nil, classify(c.baseURL, err)
	}
	ids := make([]string, 0, len(list.Models))
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	sort.Strings(ids)
	return ids, nil
}
