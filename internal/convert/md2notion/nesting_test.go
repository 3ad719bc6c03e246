package md2notion

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// depthOf is how deep the tree's blocks nest: 1 for top-level blocks only.
func depthOf(blocks []any) int {
	deepest := 0
	for _, b := range blocks {
		m := b.(map[string]any)
		body, _ := m[m["type"].(string)].(map[string]any)
		kids, _ := body["children"].([]any)
		deepest = max(deepest, 1+depthOf(kids))
	}
	return deepest
}

// TestDeepNestingIsCapped checks that a line opening more quotes or list
// items than MaxLineNesting nests no deeper, with every character of the
// line kept, and that fenced code, rules and shallower nesting are left as
// they are.
func TestDeepNestingIsCapped(t *testing.T) {
	tests := []struct {
		name, md  string
		wantDepth int
		wantText  string
	}{
		{"5,000 quotes", strings.Repeat(">", 5000) + " The deepest words.\n", MaxLineNesting, strings.Repeat(">", 4900) + " The deepest words."},
		{"quotes with spaces", strings.Repeat("> ", 300) + "deep\n", MaxLineNesting, strings.TrimSpace(strings.Repeat("> ", 200)) + " deep"},
		{"bullets on one line", strings.Repeat("- ", 300) + "deep\n", MaxLineNesting, strings.TrimSpace(strings.Repeat("- ", 200)) + " deep"},
		{"numbers on one line", strings.Repeat("1. ", 150) + "deep\n", MaxLineNesting, strings.TrimSpace(strings.Repeat("1. ", 50)) + " deep"},
		{"quotes and lists mixed", strings.Repeat("> * ", 80) + "deep\n", MaxLineNesting, strings.TrimSpace(strings.Repeat("> * ", 30)) + " deep"},
		{"exactly the cap", strings.Repeat(">", MaxLineNesting) + " deep\n", MaxLineNesting, "deep"},
		{"fenced code keeps its lines", "```\n" + strings.Repeat("> ", 300) + "\n```\n", 1, strings.Repeat("> ", 300)},
		{"a long rule stays a rule", strings.Repeat("- ", 300) + "\n", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := Convert([]byte(tt.md))
			tree := asJSON(t, blocks)
			assert.Equal(t, tt.wantDepth, depthOf(tree))
			var deepest string
			walkBlocks(tree, func(b map[string]any) {
				body, _ := b[b["type"].(string)].(map[string]any)
				if rt, ok := body["rich_text"].([]any); ok && len(rt) > 0 {
					deepest = ""
					for _, r := range rt {
						deepest += r.(map[string]any)["text"].(map[string]any)["content"].(string)
					}
				}
			})
			assert.Equal(t, tt.wantText, deepest)
			checkWords(t, []byte(tt.md), blocks)
		})
	}
}
