package notion2md

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
)

// seen describes blocks as a person sees them in Notion: each block's type
// and its runs of text, a run being the longest stretch of one look and
// link however Notion happens to split it into items, then its children
// indented.
func seen(blocks []Block) string {
	var b strings.Builder
	var walk func(blocks []Block, depth int)
	walk = func(blocks []Block, depth int) {
		for _, bl := range blocks {
			fmt.Fprintf(&b, "%s%s", strings.Repeat("  ", depth), bl.Type)
			if bl.body.Expression != "" {
				fmt.Fprintf(&b, " %q", bl.body.Expression)
			}
			b.WriteString(runs(bl.body.RichText))
			for _, cell := range bl.body.Cells {
				b.WriteString(" |" + runs(cell))
			}
			b.WriteString("\n")
			walk(bl.Children, depth+1)
		}
	}
	walk(blocks, 0)
	return b.String()
}

func runs(items []richText) string {
	var b strings.Builder
	last := ""
	for _, it := range items {
		style := fmt.Sprintf("%+v→%s", it.Annotations, it.link())
		if it.Type == "equation" {
			style = "equation"
		}
		if style != last || it.Type == "equation" {
			fmt.Fprintf(&b, " [%s]", style)
			last = style
		}
		fmt.Fprintf(&b, "%q", it.content())
	}
	return strings.ReplaceAll(b.String(), `""`, "")
}

func rtText(s string) string { return fmt.Sprintf(`{"type":"text","text":{"content":%q}}`, s) }

func rtCode(s string) string {
	return fmt.Sprintf(`{"type":"text","text":{"content":%q},"annotations":{"code":true}}`, s)
}

func rtBold(s string) string {
	return fmt.Sprintf(`{"type":"text","text":{"content":%q},"annotations":{"bold":true}}`, s)
}

func rtLink(s, url string) string {
	return fmt.Sprintf(`{"type":"text","text":{"content":%q,"link":{"url":%q}}}`, s, url)
}

func rtMath(tex string) string {
	return fmt.Sprintf(`{"type":"equation","equation":{"expression":%q}}`, tex)
}

func paragraphJSON(items ...string) string {
	return `{"object":"block","type":"paragraph","paragraph":{"rich_text":[` + strings.Join(items, ",") + `]}}`
}

func equationJSON(tex string) string {
	return fmt.Sprintf(`{"object":"block","type":"equation","equation":{"expression":%q}}`, tex)
}

func quoteJSON(kids ...string) string {
	return `{"object":"block","type":"quote","quote":{"rich_text":[` + rtText("Quoted.") + `],"children":[` + strings.Join(kids, ",") + `]}}`
}

func itemJSON(kids ...string) string {
	return `{"object":"block","type":"bulleted_list_item","bulleted_list_item":{"rich_text":[` + rtText("Item.") + `],"children":[` + strings.Join(kids, ",") + `]}}`
}

func tableJSON(cells ...string) string {
	row := func(cells []string) string {
		return `{"object":"block","type":"table_row","table_row":{"cells":[` + strings.Join(cells, ",") + `]}}`
	}
	head := make([]string, len(cells))
	for i := range head {
		head[i] = "[" + rtText(fmt.Sprintf("Column %d", i+1)) + "]"
	}
	body := make([]string, len(cells))
	for i, c := range cells {
		body[i] = "[" + c + "]"
	}
	return fmt.Sprintf(`{"object":"block","type":"table","table":{"table_width":%d,"has_column_header":true,"children":[%s,%s]}}`, len(cells), row(head), row(body))
}

// TestReadBackKeepsWhatIsSeen reads blocks as Notion stores them back as
// Markdown and converts that Markdown again: the page must look the same,
// with no text taken for Markdown syntax. Translate and Improve write what
// they read back, so a difference here changes the page.
func TestReadBackKeepsWhatIsSeen(t *testing.T) {
	longCode := strings.Repeat("x", 1990) + "``y`" + strings.Repeat("z", 500)
	tests := []struct {
		name   string
		blocks string
	}{
		{"a line of display math that starts with # is not a heading", equationJSON(`a = b \\` + "\n" + `# c`)},
		{"a line of display math that starts with - is not a list", equationJSON("x^2\n- y^2\n= 0")},
		{"lines of display math that read as a heading underline", equationJSON("a + b\n---\nc")},
		{"display math with > and 1. lines", equationJSON("a\n> b\n1. c")},
		{"display math with a fence inside", equationJSON("a\n```\nb")},
		{"display math in a quote", quoteJSON(equationJSON("a\n# b\n  - c"))},
		{"display math in a list item", itemJSON(equationJSON("\\begin{cases}\n  1 & x\n- 1 & y\n\\end{cases}"))},
		{"an @ after a mention's name is not an e-mail address", paragraphJSON(rtText("Ada"), rtText("@example.com"))},
		{"an @ after bold text is not an e-mail address", paragraphJSON(rtBold("Ada"), rtText("@example.com wrote"))},
		{"code with an @ after a word", paragraphJSON(rtText("Write to x"), rtCode("@example.com"))},
		{"code holding an @ after a word", paragraphJSON(rtText("Run "), rtBold("it"), rtCode("user@example.com"))},
		{"a table cell's | in code stays in its cell", tableJSON(rtCode("a | b"), rtText("next"))},
		{"a table cell's | in math stays in its cell", tableJSON(rtMath(`|x| + \|y\|`), rtText("next"))},
		{"a table cell's | in a link's address stays in its cell", tableJSON(rtLink("search", "https://example.com/?q=a|b"), rtText("next"))},
		{"a table cell's | in text, and after a backslash in code", tableJSON(rtText("a | b"), rtCode(`c\|d`))},
		{"a long code span with backticks, split in items", paragraphJSON(rtText("Run "), rtCode(longCode[:2000]), rtCode(longCode[2000:]), rtText(" now."))},
		{"code spans of one look side by side", paragraphJSON(rtCode("a``"), rtCode("`b"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks, err := Decode([]byte("[" + tt.blocks + "]"))
			require.NoError(t, err)
			md := Markdown(blocks)
			again, err := Decode([]byte(blocksJSON(t, md2notion.Convert([]byte(md)))))
			require.NoError(t, err)
			assert.Equal(t, seen(blocks), seen(again), "Markdown read back:\n%s", md)
		})
	}
}

// TestCodeLineBreaks reads back inline code holding line breaks, which no
// Markdown code span can hold: its lines stay code, in one paragraph, and
// a line that looks like a heading or a fence stays a line of it.
func TestCodeLineBreaks(t *testing.T) {
	for _, code := range []string{"a\n# b", "\n``0", "x\n```\ny", "  indented\n    more"} {
		blocks, err := Decode([]byte("[" + paragraphJSON(rtText("Run "), rtCode(code)) + "]"))
		require.NoError(t, err)
		md := Markdown(blocks)
		again, err := Decode([]byte(blocksJSON(t, md2notion.Convert([]byte(md)))))
		require.NoError(t, err)
		require.Len(t, again, 1, "Markdown read back:\n%s", md)
		assert.Equal(t, "paragraph", again[0].Type)
		var text, coded strings.Builder
		for _, r := range again[0].body.RichText {
			text.WriteString(r.content())
			if r.Annotations.Code {
				coded.WriteString(r.content())
			}
		}
		assert.Equal(t, "Run "+code, text.String(), "Markdown read back:\n%s", md)
		assert.Equal(t, strings.ReplaceAll(code, "\n", ""), coded.String(), "every line is code")
	}
}
