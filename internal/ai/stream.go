package ai

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/sashabaranov/go-openai"
)

// systemPrompt asks for Markdown that becomes good Notion blocks.
const systemPrompt = `You write content that is inserted straight into a Notion page.
Answer with the content only: no preamble, no closing remarks, no code fence around the whole answer.
Use GitHub-flavoured Markdown: # to ### headings, lists, task lists (- [ ]), tables, fenced code blocks with a language, > quotes, > [!NOTE] / [!TIP] / [!WARNING] callouts, $…$ and $$…$$ math, and inline links.`

// Request is one generation.
type Request struct {
	Model string
	// Prompt is what the user asked for.
	Prompt string
	// Instructions are the user's standing instructions (tone, language).
	Instructions string
	Temperature  float32
	// MaxTokens limits the answer; 0 leaves it to the provider.
	MaxTokens int
}

// Stream generates the answer to req, calling onDelta with each piece of
// text as it arrives, and returns the whole text. When ctx ends, the stream
// is closed (on js/wasm, cancelling the context alone does not unblock a
// read once headers have arrived) and ctx's error is returned with the
// text so far.
func (c *Client) Stream(ctx context.Context, req Request, onDelta func(string)) (string, error) {
	system := systemPrompt
	if s := strings.TrimSpace(req.Instructions); s != "" {
		system += "\n\nThe user's standing instructions:\n" + s
	}
	chat := openai.ChatCompletionRequest{
		Model:       req.Model,
		Temperature: req.Temperature,
		MaxTokens:   req.MaxTokens,
		Stream:      true,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: req.Prompt},
		},
	}
	if openai.NewReasoningValidator().Validate(chat) != nil {
		// Reasoning models (o1…o4, gpt-5) take no temperature and count
		// their limit differently; they are sent the defaults.
		chat.Temperature = 0
		chat.MaxCompletionTokens, chat.MaxTokens = chat.MaxTokens, 0
	}
	ctx, note := noteRetryAfter(ctx)
	stream, err := c.api.CreateChatCompletionStream(ctx, chat)
	if err != nil {
		err = c.classify(err)
		var e *Error
		if errors.As(err, &e) {
			e.RetryAfter = note.get()
		}
		return "", err
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			stream.Close()
		case <-done:
		}
	}()
	defer stream.Close()
	var text strings.Builder
	for {
		chunk, err := stream.Recv()
		if ctx.Err() != nil {
			return text.String(), ctx.Err()
		}
		if errors.Is(err, io.EOF) {
			return text.String(), nil
		}
		if err != nil {
			return text.String(), c.classify(err)
		}
		for _, ch := range chunk.Choices {
			if ch.Delta.Content != "" {
				text.WriteString(ch.Delta.Content)
				onDelta(ch.Delta.Content)
			}
		}
	}
}
