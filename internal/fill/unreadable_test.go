//go:build !js

// Like fill_test.go, it streams the model over a real connection, which
// the wasm test runner does not have.

package fill

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/fakenotion"
)

// TestARowNotionWillNotReadFailsWithItsReason: a row whose values Notion
// refuses to give (here a validation error) is not taken for a deleted row:
// it fails, saying what Notion said, and the other rows are written.
func TestARowNotionWillNotReadFailsWithItsReason(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}}.", Output{})
	run := allRows()
	// A row the database query does not return is read on its own.
	stray := Row{ID: fakenotion.RowID(99), Title: "Stray", Status: Waiting}
	run.Rows = append(run.Rows, stray)
	w.notion.Fail(fakenotion.Fault{Method: "GET", PathPrefix: "/v1/pages/" + fakenotion.RowID(99), Status: 400, Times: 1})
	require.NoError(t, w.runner.Run(context.Background(), run))
	last := run.Rows[len(run.Rows)-1]
	assert.Equal(t, Failed, last.Status)
	assert.Contains(t, last.Message, "Notion would not give this row’s values")
	assert.NotContains(t, last.Message, "no longer in the database")
	assert.Equal(t, Written, run.Rows[0].Status, "the other rows go on")
}

// TestARowNotionCannotFindIsSkipped: a row Notion no longer has is skipped
// as deleted, as before.
func TestARowNotionCannotFindIsSkipped(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}}.", Output{})
	run := allRows()
	run.Rows = append(run.Rows, Row{ID: fakenotion.RowID(98), Title: "Gone", Status: Waiting})
	require.NoError(t, w.runner.Run(context.Background(), run))
	last := run.Rows[len(run.Rows)-1]
	assert.Equal(t, Skipped, last.Status)
	assert.Equal(t, "This row is no longer in the database.", last.Message)
}
