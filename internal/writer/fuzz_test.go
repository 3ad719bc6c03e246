package writer

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/notion/limits"
)

// FuzzPlan plans whatever Markdown converts to: no error and no panic, every
// request within Notion's limits, every block planned once, and every
// character of the blocks' text in some request.
func FuzzPlan(f *testing.F) {
	for _, seed := range []string{
		"# Title\n\nText.\n",
		strings.Repeat(">", 50) + " deep",
		"- a\n  - b\n    - c\n      - d\n",
		"| a | b |\n|---|---|\n| 1 | 2 |\n",
		"```go\nfunc main() {}\n```\n",
		// Items each carrying a long paragraph inline: their "children"
		// arrays count toward the request's size.
		strings.Repeat("- item\n\n  "+strings.Repeat("z", 4950)+"\n\n", 100),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, md string) {
		blocks := md2notion.Convert([]byte(md))
		plan, err := NewPlan(blocks)
		require.NoError(t, err)
		total := 0
		var planned []string
		for i, r := range plan.Requests {
			require.LessOrEqual(t, len(r.Children), limits.ChildrenPerRequest, "request %d", i)
			require.LessOrEqual(t, r.Blocks, limits.BlocksPerRequest, "request %d", i)
			// As the writer sends it, with the longest place it names.
			raw, err := json.Marshal(map[string]any{"children": r.Children, "after": "00000000-0000-4000-8000-000000000000"})
			require.NoError(t, err)
			require.LessOrEqual(t, len(raw), limits.PayloadBytes, "request %d", i)
			if r.Parent != nil {
				require.Less(t, r.Parent.Request, i, "a parent is made before its children")
			}
			for _, c := range r.Children {
				require.LessOrEqual(t, depthOf(c), limits.NestingPerRequest, "request %d", i)
				planned = append(planned, textsOf(c)...)
			}
			total += r.Blocks
		}
		require.Equal(t, plan.Blocks, total, "every block is planned once")
		var want []string
		for _, b := range treeJSON(t, blocks) {
			want = append(want, textsOf(b)...)
		}
		slices.Sort(want)
		slices.Sort(planned)
		require.Equal(t, want, planned, "no block's text lost or repeated")
	})
}

// FuzzSafe: a refused block's plain-text form keeps every character,
// within Notion's limits.
func FuzzSafe(f *testing.F) {
	f.Add("qapla'", 1)
	f.Add(strings.Repeat("😀", 1500), 3)
	f.Add(strings.Repeat("x", 1999)+"é", 150)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = max(1, min(n, 300))
		if !utf8Valid(s) {
			return
		}
		var items []any
		for range n {
			items = append(items, map[string]any{"type": "text", "text": map[string]any{"content": s}})
		}
		block := map[string]any{"type": "quote", "quote": map[string]any{"rich_text": items}}
		got := safe(block)
		var text strings.Builder
		var walk func(b map[string]any, depth int)
		walk = func(b map[string]any, depth int) {
			body := b["paragraph"].(map[string]any)
			rt, _ := body["rich_text"].([]any)
			require.LessOrEqual(t, len(rt), limits.RichTextItems)
			for _, it := range rt {
				c := it.(map[string]any)["text"].(map[string]any)["content"].(string)
				require.LessOrEqual(t, limits.UTF16Len(c), limits.TextContent)
				text.WriteString(c)
			}
			kids, _ := body["children"].([]any)
			require.True(t, depth == 0 || len(kids) == 0, "children carry none of their own")
			require.LessOrEqual(t, len(kids), limits.ChildrenPerRequest)
			for _, k := range kids {
				walk(k.(map[string]any), depth+1)
			}
		}
		walk(got, 0)
		require.Equal(t, strings.Repeat(s, n), text.String())
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// depthOf counts a block's levels: 1 for a block without children.
func depthOf(b map[string]any) int {
	typ, _ := b["type"].(string)
	body, _ := b[typ].(map[string]any)
	kids, _ := body["children"].([]any)
	deepest := 0
	for _, k := range kids {
		deepest = max(deepest, depthOf(k.(map[string]any)))
	}
	return 1 + deepest
}

// textsOf is the text of a block and of each block in it.
func textsOf(b map[string]any) []string {
	out := []string{text(b)}
	typ, _ := b["type"].(string)
	body, _ := b[typ].(map[string]any)
	kids, _ := body["children"].([]any)
	for _, k := range kids {
		out = append(out, textsOf(k.(map[string]any))...)
	}
	return out
}
