//go:build !js

// Like job_test.go, it streams the model over a real connection, which
// the wasm test runner does not have.

package job

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

// TestResumeWithAChangedDraftEndsWithTheFinalText: a job resumes with
// blocks already written from a draft that the final answer no longer
// holds (a model that answered differently on the second try, or a draft
// whose last saves were lost). The page must end with the final text alone:
// the blocks that no longer fit are taken away and the rest written.
func TestResumeWithAChangedDraftEndsWithTheFinalText(t *testing.T) {
	w := newWorld(t, "", nil)
	old := md2notion.Convert([]byte("Old opening.\n"))
	w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{pageID: {
		{"object": "block", "type": "paragraph", "paragraph": map[string]any{"rich_text": []any{
			map[string]any{"type": "text", "text": map[string]any{"content": "Old opening."}},
		}}},
	}}})
	written := w.notion.Children(pageID)[0]["id"].(string)
	snap := Snapshot{
		Phase: Writing, Generated: true,
		Markdown: "New opening.\n\nAnd a second paragraph.\n",
		Written:  []string{written}, Sums: []string{digest(old[0])}, Sizes: []int{1}, Blocks: 1,
	}
	require.NoError(t, w.job.Run(context.Background(), &snap))
	assert.Equal(t, content(want(t, snap.Markdown)), content(w.notion.Children(pageID)))
	assert.Equal(t, 1, snap.Deleted, "the block that no longer fits is taken away")
	assert.Empty(t, w.ai.Requests(), "a resume of a finished answer writes; it does not generate again")
}
