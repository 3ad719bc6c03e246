package fill

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResumeLeavesWrittenRowsAlone: a run cut off after its first row is
// resumed from JSON; the written row keeps its status, its blocks and no
// message, and its page is not written again.
func TestResumeLeavesWrittenRowsAlone(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}}.", Output{})
	ctx, cancel := context.WithCancel(context.Background())
	w.runner.OnUpdate = func(r Run) {
		if r.Rows[0].Status == Written {
			cancel()
		}
	}
	run := allRows()
	require.ErrorIs(t, w.runner.Run(ctx, run), context.Canceled)
	written := run.Rows[0]
	require.Equal(t, Written, written.Status)

	raw, err := json.Marshal(run)
	require.NoError(t, err)
	var resumed Run
	require.NoError(t, json.Unmarshal(raw, &resumed))
	w.runner.OnUpdate = nil
	require.NoError(t, w.runner.Run(context.Background(), &resumed))
	assert.Equal(t, Written, resumed.Rows[0].Status)
	assert.Empty(t, resumed.Rows[0].Message)
	assert.Equal(t, written.Blocks, resumed.Rows[0].Blocks)
	assert.Equal(t, "Answer to: Write about our spring launch.", bodyText(w, rowID(1)))
}

// TestRelationPlaceholdersReadTheRelatedTitles: a relation placeholder
// becomes the related pages' titles, read from Notion.
func TestRelationPlaceholdersReadTheRelatedTitles(t *testing.T) {
	w := newWorld(t, "Follow up on {{Related}}.", Output{})
	run := &Run{Rows: []Row{{ID: rowID(1), Title: "Launch post", Status: Waiting}}}
	require.NoError(t, w.runner.Run(context.Background(), run))
	assert.Equal(t, Written, run.Rows[0].Status)
	assert.Equal(t, "Answer to: Follow up on Pricing FAQ.", bodyText(w, rowID(1)))
}
