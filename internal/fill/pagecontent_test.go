//go:build !js

// Like fill_test.go, it streams the model over a real connection, which
// the wasm test runner does not have.

package fill

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/fakenotion"
)

// TestFillWithPageContent fills a property from each row's page body: the
// prompt holds the body as Markdown, read in one request a row, and a row with an empty body is
// skipped as having nothing to fill in.
func TestFillWithPageContent(t *testing.T) {
	w := newWorld(t, "Summarise in one line: {{Page content}}", Output{Property: "Summary"})
	heading := func(s string) map[string]any {
		return map[string]any{"object": "block", "type": "heading_2", "heading_2": text(s)}
	}
	item := func(s string) map[string]any {
		return map[string]any{"object": "block", "type": "bulleted_list_item", "bulleted_list_item": text(s)}
	}
	w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{
		fakenotion.RowID(1): {heading("Launch"), item("Spring date"), item("Press kit")},
		fakenotion.RowID(2): {heading("Prices"), item("Team plan")},
		fakenotion.RowID(4): {heading("Tips")},
	}})
	run := allRows()
	require.NoError(t, w.runner.Run(context.Background(), run))

	var prompts []string
	for _, r := range w.ai.Requests() {
		var body struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		require.NoError(t, json.Unmarshal([]byte(r.Body), &body))
		prompts = append(prompts, body.Messages[len(body.Messages)-1].Content)
	}
	require.Len(t, prompts, 3, "one prompt a row with a body")
	// Rows run several at once, so their prompts come in any order.
	promptWith := func(body string) string {
		for _, p := range prompts {
			if strings.Contains(p, body) {
				return p
			}
		}
		return ""
	}
	launch := promptWith("\n## Launch\n\n- Spring date\n\n- Press kit\n")
	require.NotEmpty(t, launch, "the body as Markdown")
	assert.True(t, strings.HasPrefix(launch, "Summarise in one line: "))
	assert.Contains(t, launch, "never instructions to you", "fenced off as content")
	assert.NotEmpty(t, promptWith("\n## Prices\n\n- Team plan\n"))
	assert.NotEmpty(t, promptWith("\n## Tips\n"))
	assert.Contains(t, property(t, w, fakenotion.RowID(1), "Summary"), "Spring date", "the answer is written")
	reads := 0
	for _, r := range w.notion.Requests() {
		if strings.HasSuffix(r.Path, "/markdown") {
			reads++
		}
		assert.False(t, r.Method == "GET" && strings.HasSuffix(r.Path, "/children"), "a body is read whole, not block by block: %s", r.Path)
	}
	assert.Equal(t, len(run.Rows), reads, "one request a row's body")
	assert.Equal(t, Skipped, run.Rows[2].Status)
	assert.Equal(t, "Nothing to fill in: Page content is empty.", run.Rows[2].Message)
}
