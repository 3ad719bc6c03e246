package md2notion

import (
	"strings"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBeatsMartian pins each place where @tryfabric/martian loses content or
// builds a tree Notion refuses.
func TestBeatsMartian(t *testing.T) {
	var deep strings.Builder
	for level := range 8 {
		deep.WriteString(strings.Repeat("  ", level) + "- level\n")
	}
	tests := []struct {
		name  string
		md    string
		check func(t *testing.T, blocks []notionapi.Block)
	}{
		{"keeps more than 1000 blocks", strings.Repeat("A line.\n\n", 1500), func(t *testing.T, blocks []notionapi.Block) {
			assert.Len(t, blocks, 1500)
		}},
		{"keeps lists deeper than two levels", deep.String(), func(t *testing.T, blocks []notionapi.Block) {
			assert.Equal(t, 8, depth(asJSON(t, blocks)))
		}},
		{"text is plain text, not VB.NET", "```text\nx\n```\n", func(t *testing.T, blocks []notionapi.Block) {
			assert.Equal(t, "plain text", blocks[0].(*notionapi.CodeBlock).Code.Language)
		}},
		{"py is Python", "```py\nx = 1\n```\n", func(t *testing.T, blocks []notionapi.Block) {
			assert.Equal(t, "python", blocks[0].(*notionapi.CodeBlock).Code.Language)
		}},
		{"keeps reference links", "[docs][ref]\n\n[ref]: https://example.com/docs\n", func(t *testing.T, blocks []notionapi.Block) {
			rt := blocks[0].(*notionapi.ParagraphBlock).Paragraph.RichText
			require.Len(t, rt, 1)
			assert.Equal(t, "https://example.com/docs", rt[0].Text.Link.Url)
		}},
		{"keeps footnotes", "Claim[^1].\n\n[^1]: The source.\n", func(t *testing.T, blocks []notionapi.Block) {
			assert.Contains(t, outputText(t, blocks), "Claim[1].")
			assert.Contains(t, outputText(t, blocks), "[1] The source.")
		}},
		{"keeps the text of HTML", "<div>Hello <b>world</b></div>\n\nA<br>B\n", func(t *testing.T, blocks []notionapi.Block) {
			assert.Contains(t, outputText(t, blocks), "Hello world")
			assert.Contains(t, outputText(t, blocks), "A\nB")
		}},
		{"keeps an alert's text after its first inline node", "> [!NOTE]\n> Read **this** and `that` too.\n", func(t *testing.T, blocks []notionapi.Block) {
			assert.Equal(t, "Read this and that too.", strings.TrimSpace(outputText(t, blocks)))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := Convert([]byte(tt.md))
			checkLimits(t, blocks)
			tt.check(t, blocks)
		})
	}
}

// depth is how many levels of blocks the tree has.
func depth(blocks []any) int {
	most := 0
	for _, b := range blocks {
		m := b.(map[string]any)
		kids, _ := m[m["type"].(string)].(map[string]any)["children"].([]any)
		most = max(most, 1+depth(kids))
	}
	return most
}
