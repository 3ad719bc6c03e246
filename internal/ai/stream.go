package ai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
// text as it arrives, and returns the whole text. Reasoning, whether in
// its own fields or written into the content, is left out. When ctx ends,
// the stream is closed (on js/wasm, cancelling the context alone does not
// unblock a read once headers have arrived) and ctx's error is returned
// with the text so far. An error the provider sends inside the stream
// ends it with an *Error and the text so far.
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
	if isReasoningModel(chat) {
		// Reasoning models (o1…o4, gpt-5) take no temperature and count
		// their limit differently; they are sent the defaults.
		chat.Temperature = 0
		chat.MaxCompletionTokens, chat.MaxTokens = chat.MaxTokens, 0
	}
	ctx, note := noteCall(ctx)
	stream, err := c.api.CreateChatCompletionStream(ctx, chat)
	if err != nil {
		err = c.classify(err)
		var e *Error
		if errors.As(err, &e) {
			e.RetryAfter = note.retryAfter()
		}
		return "", err
	}
	defer stream.Close()
	body, contentType := note.stream()
	if body == nil {
		// Only a transport that is not this client's hides the body.
		return "", c.classify(errors.New("ai: the stream's body was not seen"))
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
	if contentType == "application/json" {
		text, err := c.whole(body, onDelta)
		if ctx.Err() != nil {
			return text, ctx.Err()
		}
		return text, err
	}

	var (
		text   strings.Builder
		answer answerFilter
	)
	give := func(s string) {
		if s != "" {
			text.WriteString(s)
			onDelta(s)
		}
	}
	events := newSSEReader(body)
	for {
		ev, err := events.next()
		if ctx.Err() != nil {
			return text.String(), ctx.Err()
		}
		if errors.Is(err, io.EOF) {
			give(answer.flush())
			return text.String(), nil
		}
		if err != nil {
			return text.String(), c.classify(err)
		}
		if string(ev.data) == "[DONE]" {
			give(answer.flush())
			return text.String(), nil
		}
		var ch chunk
		if err := json.Unmarshal(ev.data, &ch); err != nil {
			if ev.name == "error" {
				return text.String(), c.streamError(&streamError{Message: string(ev.data)}, text.Len() > 0)
			}
			return text.String(), c.classify(fmt.Errorf("ai: unreadable chunk: %w", err))
		}
		if ch.Error != nil || ev.name == "error" {
			if ch.Error == nil {
				ch.Error = &streamError{}
			}
			give(answer.flush())
			return text.String(), c.streamError(ch.Error, text.Len() > 0)
		}
		for _, choice := range ch.Choices {
			give(answer.feed(string(choice.Delta.Content)))
			if choice.FinishReason == "error" {
				give(answer.flush())
				return text.String(), c.streamError(&streamError{}, text.Len() > 0)
			}
		}
	}
}

// maxWhole bounds an answer sent whole instead of streamed.
const maxWhole = 16 << 20

// whole reads an answer a server sent as one JSON document although a
// stream was asked for: a whole completion, as some OpenAI-compatible
// servers answer, or an error with a 200 status.
func (c *Client) whole(body io.Reader, onDelta func(string)) (string, error) {
	raw, err := io.ReadAll(io.LimitReader(body, maxWhole))
	if err != nil {
		return "", c.classify(err)
	}
	var doc struct {
		Choices []struct {
			Message struct {
				Content content `json:"content"`
			} `json:"message"`
		} `json:"choices"`
		Error *streamError `json:"error"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return "", c.classify(fmt.Errorf("ai: unreadable answer: %w", err))
	}
	if doc.Error != nil {
		return "", c.streamError(doc.Error, false)
	}
	var answer answerFilter
	text := ""
	for _, ch := range doc.Choices {
		text += answer.feed(string(ch.Message.Content))
	}
	text += answer.flush()
	if text != "" {
		onDelta(text)
	}
	return text, nil
}

// isReasoningModel says whether go-openai knows req's model as one that
// takes only the default temperature and max_completion_tokens, also when
// a router names it with its maker ("openai/gpt-5", "openai/o3-mini").
func isReasoningModel(req openai.ChatCompletionRequest) bool {
	probe := req
	probe.Model = req.Model[strings.LastIndex(req.Model, "/")+1:]
	if probe.MaxTokens == 0 {
		// go-openai judges a request, not a name: a limit shows the model
		// for what it is even when no temperature is set.
		probe.MaxTokens = 1
	}
	return openai.NewReasoningValidator().Validate(probe) != nil
}
