package engine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/fakeai"
	"github.com/visen/visen/internal/job"
)

// TestAnEmptyAIKeySendsNoSecret: with no AI key (a local Ollama), no call
// sends the model any other secret in its place.
func TestAnEmptyAIKeySendsNoSecret(t *testing.T) {
	w := newWorld(t)
	w.ai.Configure(fakeai.Config{AllowNoKey: true, Models: []string{"llama3"}, Answer: "Local answer.\n"})
	settings := Settings{NotionSecret: secret, BaseURL: "https://api.openai.com/v1"}
	w.call(t, "testConnection", settings)
	w.call(t, "listModels", settings)
	_, f := w.generate(t, GenerateRequest{JobID: "j", Writing: Writing{NotionSecret: secret, BaseURL: settings.BaseURL, Model: "llama3"}, Prompt: "Hi", PageID: pageID}, func(seenUpdate) {})
	require.Nil(t, f, "%+v", f)
	requests := w.ai.Requests()
	require.NotEmpty(t, requests)
	for _, r := range requests {
		for name, values := range r.Header {
			for _, v := range values {
				assert.NotContains(t, v, secret, "%s %s sent the Notion secret in %s", r.Method, r.Path, name)
				assert.NotContains(t, v, otherKey, "%s %s", r.Method, r.Path)
				if strings.EqualFold(name, "Authorization") {
					assert.Equal(t, "Bearer", strings.TrimSpace(v), "%s %s sends no key", r.Method, r.Path)
				}
			}
		}
	}
}

// TestShippedWriteIntervalWritesEarlyAndEndsRight: with the write interval
// as shipped and a model at a real pace, the opening paragraph is written
// while the model writes; a paragraph with a footnote mark waits for its
// note, and the page ends with the final text, never an early one.
func TestShippedWriteIntervalWritesEarlyAndEndsRight(t *testing.T) {
	w := newWorld(t)
	var paras []string
	for i := range 30 {
		paras = append(paras, "More about it, in a sentence or two of text. Number "+strings.Repeat("i", i%5+1)+".")
	}
	answer := "Opening.\n\nIntro with a note[^1].\n\n" + strings.Join(paras, "\n\n") + "\n\n[^1]: The note.\n"
	w.ai.Configure(fakeai.Config{Keys: []string{aiKey}, Models: []string{"gpt-5-mini"}, Answer: answer})
	w.ai.SetPace(120)
	writtenEarly := false
	done, f := w.generate(t, GenerateRequest{JobID: "j", Writing: writing(), Prompt: "Write", PageID: pageID}, func(u seenUpdate) {
		if u.Phase == job.Generating && u.OnPage > 0 {
			writtenEarly = true
		}
	})
	require.Nil(t, f, "%+v", f)
	require.True(t, writtenEarly, "blocks were written while the model wrote")
	texts := pageTexts(w)
	require.NotEmpty(t, texts)
	assert.Equal(t, []string{"Opening.", "Intro with a note[1]."}, texts[:2])
	for _, text := range texts {
		assert.NotContains(t, text, "[^1]", "no block keeps the early text")
	}
	assert.Equal(t, len(done.Written), len(texts))
}
