package notion2md

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFromEnhanced reads Notion's enhanced Markdown, each form its format
// reference gives, into the Markdown Visen reads and writes.
func TestFromEnhanced(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "paragraphs a line each", in: "One.\nTwo.", want: "One.\n\nTwo."},
		{name: "colour attributes dropped", in: "# Title {color=\"blue\"}\nText {color=\"red_bg\"}", want: "# Title\n\nText"},
		{name: "headings 5 and 6 are 4", in: "###### Deep", want: "#### Deep"},
		{name: "nested lists by tabs", in: "- a\n\t- b\n\t\t1. c\n- [x] done", want: "- a\n\n  - b\n\n    1. c\n\n- [x] done"},
		{name: "paragraph children follow it", in: "Lead\n\tchild", want: "Lead\n\nchild"},
		{name: "quote", in: "> Wise words", want: "> Wise words"},
		{name: "toggle as details", in: "<details>\n<summary>More</summary>\n\tHidden\n</details>", want: "<details>\n<summary>More</summary>\n\nHidden\n\n</details>"},
		{name: "toggle with a triangle", in: "▶ More\n\tHidden", want: "<details>\n<summary>More</summary>\n\nHidden\n\n</details>"},
		{name: "toggle heading", in: "▶## Part\n\tBody", want: "## Part\n\nBody"},
		{name: "an alert's callout", in: "<callout icon=\"💡\" color=\"green_bg\">\n\tUse it\n</callout>", want: "> [!TIP]\n> Use it"},
		{name: "another callout", in: "<callout icon=\"🚀\">\n\tLaunch\n\t- step\n</callout>", want: "> 🚀 Launch\n>\n> - step"},
		{name: "code keeps its text", in: "```python\nif x:\n\ty = \"<b>\"\n```", want: "```python\nif x:\n\ty = \"<b>\"\n```"},
		{name: "nested code", in: "- run\n\t```sh\n\tmake\n\t```", want: "- run\n\n  ```sh\n  make\n  ```"},
		{name: "equation", in: "$$\nE = mc^2\n$$", want: "$$E = mc^2$$"},
		{name: "divider", in: "---", want: "---"},
		{name: "table", in: "<table header-row=\"true\">\n\t<tr>\n\t\t<td>A</td>\n\t\t<td>B|C</td>\n\t</tr>\n\t<tr>\n\t\t<td>**1**</td>\n\t\t<td>2</td>\n\t</tr>\n</table>",
			want: "| A | B\\|C |\n| --- | --- |\n| **1** | 2 |"},
		{name: "child page", in: "<page url=\"https://www.notion.so/Notes-0123456789abcdef0123456789abcdef\">Notes</page>", want: "[📄 Notes](https://www.notion.so/0123456789abcdef0123456789abcdef)"},
		{name: "child database", in: "<database url=\"https://www.notion.so/0123456789abcdef0123456789abcdef\" inline=\"true\">Tasks</database>", want: "[🗃️ Tasks](https://www.notion.so/0123456789abcdef0123456789abcdef)"},
		{name: "columns keep their content", in: "<columns>\n\t<column>\n\t\tLeft\n\t</column>\n\t<column>\n\t\tRight\n\t</column>\n</columns>", want: "Left\n\nRight"},
		{name: "image", in: "![A cat](https://example.com/cat.png)", want: "![A cat](https://example.com/cat.png)"},
		{name: "file", in: "<file source=\"https://example.com/r.pdf\">Report</file>", want: "[📎 Report](https://example.com/r.pdf)"},
		{name: "unknown block", in: "<unknown url=\"https://www.notion.so/x#y\" alt=\"bookmark\"/>", want: "[Unsupported block: bookmark]"},
		{name: "empty blocks show nothing", in: "A\n<empty-block/>\nB", want: "A\n\nB"},
		{name: "table of contents", in: "<table_of_contents/>", want: "[Table of contents]"},
		{name: "inline tags", in: `Hi <mention-user url="user://1">Ada</mention-user>, see <mention-page url="https://www.notion.so/p">Plan</mention-page> by <mention-date start="2026-12-01"/>, <span color="red">now</span>.`,
			want: "Hi Ada, see [Plan](https://www.notion.so/p) by 2026-12-01, now."},
		{name: "escapes stay", in: `2 \* 3 \< 7 \$5`, want: `2 \* 3 \< 7 \$5`},
		{name: "line breaks", in: "one<br>two", want: "one<br>two"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Markdown(FromEnhanced(tt.in)))
		})
	}
}

// TestFromEnhancedChildPages keeps a child page's ID and title, which a
// translation uses to find the page it made.
func TestFromEnhancedChildPages(t *testing.T) {
	blocks := FromEnhanced("Intro\n<page url=\"https://www.notion.so/French-0123456789abcdef0123456789abcdef\">French</page>\n<page url=\"https://www.notion.so/x\">Bad</page>")
	if assert.Len(t, blocks, 3) {
		assert.Equal(t, "child_page", blocks[1].Type)
		assert.Equal(t, "01234567-89ab-cdef-0123-456789abcdef", blocks[1].ID)
		assert.Equal(t, "French", blocks[1].Title())
		assert.Equal(t, "", blocks[2].ID, "no ID where the address holds none")
	}
}

var word = regexp.MustCompile(`\p{L}[\p{L}\p{N}]{2,}`)

// FuzzFromEnhanced reads any text without panicking, and keeps every word
// of text that holds no tag, attribute list, toggle or math.
func FuzzFromEnhanced(f *testing.F) {
	for _, s := range []string{
		"# Plan\n- a\n\t- b\n> quote\n```go\nx\n```",
		"<callout icon=\"💡\">\n\ttext\n</callout>\n<details>\n<summary>s</summary>\n\tkid\n</details>",
		"<table>\n\t<tr>\n\t\t<td>a</td>\n\t</tr>\n</table>\n$$\nx\n$$\n<columns>\n\t<column>\n\t\tL\n\t</column>\n</columns>",
		"\t\tstray indent\n1. one\n\t- [ ] todo {color=\"red\"}",
		"<unknown url=\"u\" alt=\"a\"/>\n<page url=\"https://www.notion.so/0123456789abcdef0123456789abcdef\">P</page>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := Markdown(FromEnhanced(src))
		if strings.ContainsAny(src, "<>{}▶$`~|![]\\*_&#") {
			return
		}
		for _, w := range word.FindAllString(src, -1) {
			if !strings.Contains(out, w) {
				t.Fatalf("lost %q from %q: %q", w, src, out)
			}
		}
	})
}
