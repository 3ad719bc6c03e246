package engine

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/fill"
	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/testworld/fakeai"
)

// everyFlow runs every call that reaches the model (test connection, list
// models, generate, fill rows) with the AI settings of conn, each of which
// must succeed.
func everyFlow(t *testing.T, w *world, conn AIConnection) {
	t.Helper()
	schema := withCalendar(t, w)
	settings := Settings{NotionSecret: secret, AIConnection: conn}
	r := w.call(t, "testConnection", settings)
	require.True(t, r.OK, "%+v", r.Error)
	require.Equal(t, true, r.Data.(map[string]any)["ai"].(map[string]any)["ok"], "%+v", r.Data)
	r = w.call(t, "listModels", settings)
	require.True(t, r.OK, "%+v", r.Error)
	wr := Writing{NotionSecret: secret, AIConnection: conn, Model: "llama3"}
	_, f := w.generate(t, GenerateRequest{JobID: "j", Writing: wr, Prompt: "Hi", PageID: pageID}, func(seenUpdate) {})
	require.Nil(t, f, "%+v", f)
	req := fillRequest(schema, "Write about {{Topic}}.", fill.Output{})
	req.Writing = wr
	run, f, _ := w.fill(t, req)
	require.Nil(t, f, "%+v", f)
	for _, row := range run.Rows {
		require.Equal(t, fill.Written, row.Status, row.Message)
	}
	for _, path := range []string{"/models", "/chat/completions"} {
		require.True(t, slices.ContainsFunc(w.ai.Requests(), func(r fakeai.Request) bool { return strings.HasSuffix(r.Path, path) }), path)
	}
}

// TestAnEmptyAIKeySendsNoSecret: with no AI key (a local Ollama), no call
// sends the model any other secret in its place, in any flow.
func TestAnEmptyAIKeySendsNoSecret(t *testing.T) {
	w := newWorld(t)
	w.ai.Configure(fakeai.Config{AllowNoKey: true, Models: []string{"llama3"}, Answer: "Local answer.\n"})
	everyFlow(t, w, AIConnection{BaseURL: "https://api.openai.com/v1"})
	for _, r := range w.ai.Requests() {
		for name, values := range r.Header {
			for _, v := range values {
				assert.NotContains(t, v, secret, "%s %s sent the Notion secret in %s", r.Method, r.Path, name)
				assert.NotContains(t, v, otherKey, "%s %s", r.Method, r.Path)
				if strings.EqualFold(name, "Authorization") {
					assert.Equal(t, "Bearer", strings.TrimSpace(v), "%s %s sends no key", r.Method, r.Path)
				}
			}
		}
		assert.NotContains(t, r.Body, secret, "%s %s", r.Method, r.Path)
	}
}

// TestEachSecretReachesOnlyItsHost: in every flow the Notion secret goes
// only to Notion and the AI key only to the provider, in no header and no
// body of the other.
func TestEachSecretReachesOnlyItsHost(t *testing.T) {
	w := newWorld(t)
	w.ai.Configure(fakeai.Config{Keys: []string{aiKey}, Models: []string{"llama3"}, Answer: "Keyed answer.\n"})
	everyFlow(t, w, AIConnection{BaseURL: "https://api.openai.com/v1", APIKey: aiKey})
	seen := func(r any) string {
		raw, err := json.Marshal(r)
		require.NoError(t, err)
		return string(raw)
	}
	for _, r := range w.ai.Requests() {
		assert.NotContains(t, seen(r), secret, "%s %s", r.Method, r.Path)
		assert.Equal(t, "Bearer "+aiKey, r.Header["Authorization"][0], "%s %s", r.Method, r.Path)
	}
	notionRequests := w.notion.Requests()
	require.NotEmpty(t, notionRequests)
	for _, r := range notionRequests {
		assert.NotContains(t, seen(r), aiKey, "%s %s", r.Method, r.Path)
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
	w.answers(answer)
	w.ai.SetPace(120)
	writtenEarly := false
	done, f := w.generate(t, GenerateRequest{JobID: "j", Writing: writing(), Prompt: "Write", PageID: pageID}, func(u seenUpdate) {
		if u.Phase == job.Generating && u.OnPage > 0 {
			writtenEarly = true
		}
	})
	require.Nil(t, f, "%+v", f)
	require.True(t, writtenEarly, "blocks were written while the model wrote")
	texts := texts(w, pageID)
	require.NotEmpty(t, texts)
	assert.Equal(t, []string{"Opening.", "Intro with a note[1]."}, texts[:2])
	for _, text := range texts {
		assert.NotContains(t, text, "[^1]", "no block keeps the early text")
	}
	assert.Equal(t, len(done.Written), len(texts))
}
