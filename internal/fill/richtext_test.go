package fill

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/testworld"
)

// FuzzPropertyText checks that any answer becomes property text within
// Notion's limits, or is reported as too long, and never panics.
func FuzzPropertyText(f *testing.F) {
	for _, src := range testworld.Documents(f) {
		if len(src) < 4000 {
			f.Add(src)
		}
	}
	f.Add("**Short:** one\n\n- a\n- b\n  1. c")
	f.Fuzz(func(t *testing.T, md string) {
		items, fits := propertyText(md)
		require.Equal(t, len(items) <= limits.RichTextItems, fits)
		for _, it := range items {
			switch {
			case it.Text != nil:
				require.LessOrEqual(t, limits.UTF16Len(it.Text.Content), limits.TextContent)
			case it.Equation != nil:
				require.LessOrEqual(t, limits.UTF16Len(it.Equation.Expression), limits.Equation)
			default:
				t.Fatalf("an item with no text: %+v", it)
			}
		}
		if fits && strings.TrimSpace(md) == "" {
			require.Empty(t, items)
		}
	})
}
