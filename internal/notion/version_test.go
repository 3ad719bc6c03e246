package notion

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAppendBodyByVersion(t *testing.T) {
	kids := []map[string]any{{"type": "divider", "divider": map[string]any{}}}
	tests := []struct {
		name, version, after string
		want                 map[string]any
	}{
		{name: "at the end", version: VersionDataSources, want: map[string]any{"children": kids}},
		{name: "after a block", version: VersionDataSources, after: "b1", want: map[string]any{"children": kids, "after": "b1"}},
		{name: "after a block on 2026-03-11", version: VersionPosition, after: "b1", want: map[string]any{"children": kids,
			"position": map[string]any{"type": "after_block", "after_block": map[string]any{"id": "b1"}}}},
		{name: "at the end on 2026-03-11", version: VersionPosition, want: map[string]any{"children": kids}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, appendBody(tt.version, tt.after, kids))
		})
	}
}

func TestStartBody(t *testing.T) {
	kids := []map[string]any{{"type": "divider", "divider": map[string]any{}}}
	assert.Equal(t, map[string]any{"children": kids, "position": map[string]any{"type": "start"}}, startBody(kids))
}
