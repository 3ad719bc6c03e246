//go:build !js

// Built as the rest of the package's tests are: the model's stream needs a
// real connection.

package fill

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRelationPlaceholdersReadTheRelatedTitles: a relation placeholder
// becomes the related pages' titles, read from Notion.
func TestRelationPlaceholdersReadTheRelatedTitles(t *testing.T) {
	w := newWorld(t, "Follow up on {{Related}}.", Output{})
	run := &Run{Rows: []Row{{ID: rowID(1), Title: "Launch post", Status: Waiting}}}
	require.NoError(t, w.runner.Run(context.Background(), run))
	assert.Equal(t, Written, run.Rows[0].Status)
	assert.Equal(t, "Answer to: Follow up on Pricing FAQ.", bodyText(w, rowID(1)))
}
