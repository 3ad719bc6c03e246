package job

import (
	"encoding/json"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/testworld"
)

// TestABlockSettlesAsSoonAsNoLaterTextCanChangeIt feeds a text so far and
// counts the blocks settled: no more than are final, no fewer than the
// rule allows.
func TestABlockSettlesAsSoonAsNoLaterTextCanChangeIt(t *testing.T) {
	tests := []struct {
		name, text string
		want       int
	}{
		{"a heading settles when its line ends", "# Title\n", 1},
		{"a heading still being written waits", "# Tit", 0},
		{"a paragraph waits for its blank line", "Some text\nmore text\n", 0},
		{"a paragraph settles at its blank line", "Some text\n\n", 1},
		{"a heading and a paragraph", "# Title\n\nSome text\n\n", 2},
		{"an open fence waits", "```go\nx := 1\n\ny := 2\n", 0},
		{"a closed fence settles", "```go\nx := 1\n\ny := 2\n```\n", 1},
		{"display math waits for the line after it", "$$\nx^2\n$$\n", 0},
		{"display math settles at the blank line after it", "$$\nx^2\n$$\n\n", 1},
		{"a list item settles at the next item", "- one\n  - nested\n- two\n", 1},
		{"a list waits at a blank line, as an item may go on", "- one\n\n", 0},
		{"a list item's paragraph after a blank line stays in it", "- one\n\n  more of one\n- two\n", 1},
		{"a quote settles at its blank line", "> quoted\n\n", 1},
		{"an alert is not a reference", "> [!NOTE]\n> Read this.\n\n", 1},
		{"a task box is not a reference", "- [ ] first\n- [x] second\n", 1},
		{"a footnote mark holds everything after it", "Text[^1].\n\n# Later\n\nMore.\n\n", 0},
		{"a reference link waits for its definition", "# Title\n\nSee [the docs].\n\n# Next\n", 1},
		{"an inline link does not wait", "See [the docs](https://example.com).\n\n", 1},
		{"brackets in code do not wait", "Use `a[0]` here.\n\n", 1},
		{"details wait for their end", "<details>\n<summary>S</summary>\n\nInside.\n\n</details>\n\n", 1},
		{"a setext underline can still come", "Title\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s settler
			got := s.feed(tt.text)
			assert.Len(t, got, tt.want)
			assertPrefix(t, tt.text, got)
		})
	}
}

// assertPrefix checks that settled blocks are the first blocks of the
// whole text converted at once.
func assertPrefix(t *testing.T, text string, settled []notionapi.Block) {
	t.Helper()
	whole := md2notion.Convert([]byte(text))
	require.LessOrEqual(t, len(settled), len(whole))
	for i := range settled {
		a, _ := json.Marshal(settled[i])
		b, _ := json.Marshal(whole[i])
		require.JSONEq(t, string(b), string(a), "block %d", i)
	}
}

// FuzzSettle feeds any text in two pieces: whatever settles must be
// exactly the first blocks of converting the whole text at once, however
// the text goes on.
func FuzzSettle(f *testing.F) {
	for _, src := range testworld.Documents(f) {
		if len(src) < 8000 {
			f.Add(src, uint16(len(src)/2))
		}
	}
	f.Fuzz(func(t *testing.T, text string, at uint16) {
		cut := int(at) % (len(text) + 1)
		var s settler
		settled := s.feed(text[:cut])
		settled = append(settled, s.feed(text)...)
		assertPrefix(t, text, settled)
	})
}

// TestNothingSettlesThatALaterLineChanges: texts whose early lines, cut
// where a block would usually end, convert differently from the whole
// text; whatever settles must be what the whole text gives.
func TestNothingSettlesThatALaterLineChanges(t *testing.T) {
	tests := []struct{ name, text string }{
		{"a link label split across lines", "See [the\nguide] now.\n\n# Next\n\nMore.\n\n[the guide]: https://example.com/guide\n"},
		{"a link label split across three lines", "See [the\nfull\nguide] now.\n\nMore.\n\n[the full guide]: https://example.com/guide\n"},
		{"an HTML comment with a blank line inside", "<!-- a note\n\nstill the note -->\n\nText.\n\n# Next\n"},
		{"pre with a blank line inside", "<pre>\nline one\n\nline two\n</pre>\n\nText.\n\n# Next\n"},
		{"script with a blank line inside", "<script>\nlet a = 1;\n\nlet b = 2;\n</script>\n\nText.\n\n# Next\n"},
		{"style with a blank line inside", "<style>\np { color: red; }\n\nh1 { color: blue; }\n</style>\n\nText.\n"},
		{"display math with a blank line inside", "\\[ a + b\n\n= c \\]\n\nText.\n\n# Next\n"},
		{"display math opened alone, a blank line inside", "\\[\na + b\n\n= c\n\\]\n\nText.\n\n# Next\n"},
		{"dollar math with a blank line inside", "$$ a + b\n\n= c $$\n\nText.\n\n# Next\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for cut := range len(tt.text) + 1 {
				var s settler
				settled := s.feed(tt.text[:cut])
				settled = append(settled, s.feed(tt.text)...)
				assertPrefix(t, tt.text, settled)
			}
		})
	}
}
