package md2notion

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLimitsKeepText builds documents past each of Notion's limits, too
// large for golden files, and checks that the output fits every limit and
// keeps every word.
func TestLimitsKeepText(t *testing.T) {
	styled := strings.Repeat("plain **bold** ", 120)
	tests := []struct {
		name   string
		md     string
		blocks int
	}{
		{"text past 100 items continues in another block", styled + "\n", 3},
		{"code past 100 items continues in another code block", "```go\n" + strings.Repeat("x := 1 // 😀 日本\n", 15000) + "```\n", 2},
		{"a cell past 100 items keeps its text after the table", "| h |\n|---|\n| " + strings.Repeat("a *b* c ", 40000) + " |\n", 2},
		{"a long inline equation becomes code", "Sum $" + strings.Repeat("x+", 600) + "y$ here.\n", 1},
		{"a long alt text continues after the image", "![" + strings.Repeat("alt words ", 21000) + "](https://example.com/a.png)\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := Convert([]byte(tt.md))
			checkLimits(t, blocks)
			checkWords(t, []byte(tt.md), blocks)
			assert.Len(t, blocks, tt.blocks)
		})
	}
}
