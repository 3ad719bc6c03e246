package fakenotion

import (
	"fmt"
	"strings"
)

// Block is a block of typ holding text, as a seed or an append gives it.
func Block(typ, text string) map[string]any {
	return block(typ, map[string]any{"rich_text": richTextOf(text)})
}

// Text is the plain text of a block's own rich text: what tests compare
// of a page, leaving out what Notion adds.
func Text(b map[string]any) string {
	typ, _ := b["type"].(string)
	body, _ := b[typ].(map[string]any)
	items, _ := body["rich_text"].([]any)
	var s strings.Builder
	for _, it := range items {
		text, _ := it.(map[string]any)["text"].(map[string]any)
		content, _ := text["content"].(string)
		s.WriteString(content)
	}
	return s.String()
}

// Texts is the Text of each block.
func Texts(blocks []map[string]any) []string {
	var out []string
	for _, b := range blocks {
		out = append(out, Text(b))
	}
	return out
}

// RowID is the i-th of a run of made-up IDs, for the rows a seed holds.
func RowID(i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i) }
