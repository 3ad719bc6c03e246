package fill

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/notion/limits"
)

// propertyText turns Markdown into the rich text of a text property: the
// converter's blocks one per line, list items marked as in Notion, nested
// ones indented, inline formatting and links kept. It reports false when
// the text needs more rich-text items than a property holds.
func propertyText(md string) ([]notionapi.RichText, bool) {
	var raw []json.RawMessage
	for _, b := range md2notion.Convert([]byte(md)) {
		j, err := json.Marshal(b)
		if err != nil {
			return nil, false
		}
		raw = append(raw, j)
	}
	var t textBuilder
	t.blocks(raw, 0)
	return t.items, len(t.items) <= limits.RichTextItems
}

// blockBody is the part of any block's JSON that carries its text.
type blockBody struct {
	RichText   []notionapi.RichText   `json:"rich_text"`
	Children   []json.RawMessage      `json:"children"`
	Checked    *bool                  `json:"checked"`
	Expression string                 `json:"expression"`
	Cells      [][]notionapi.RichText `json:"cells"`
	External   *struct {
		URL string `json:"url"`
	} `json:"external"`
	Caption []notionapi.RichText `json:"caption"`
	Icon    *struct {
		Emoji string `json:"emoji"`
	} `json:"icon"`
}

type textBuilder struct {
	items []notionapi.RichText
	lines int
}

func (t *textBuilder) blocks(raw []json.RawMessage, depth int) {
	number := 0
	for _, r := range raw {
		var head map[string]json.RawMessage
		if json.Unmarshal(r, &head) != nil {
			continue
		}
		var typ string
		_ = json.Unmarshal(head["type"], &typ)
		var body blockBody
		_ = json.Unmarshal(head[typ], &body)
		if typ == "numbered_list_item" {
			number++
		} else {
			number = 0
		}
		t.line(depth)
		switch typ {
		case "bulleted_list_item":
			t.plain("• ")
		case "numbered_list_item":
			t.plain(strconv.Itoa(number) + ". ")
		case "to_do":
			if body.Checked != nil && *body.Checked {
				t.plain("☑ ")
			} else {
				t.plain("☐ ")
			}
		case "callout":
			if body.Icon != nil && body.Icon.Emoji != "" {
				t.plain(body.Icon.Emoji + " ")
			}
		case "divider":
			t.plain("———")
		case "equation":
			t.add(notionapi.RichText{Type: "equation", Equation: &notionapi.Equation{Expression: body.Expression}})
		case "image":
			if body.External != nil {
				t.plain(body.External.URL)
			}
		}
		for i, cell := range body.Cells {
			if i > 0 {
				t.plain(" | ")
			}
			t.add(cell...)
		}
		t.add(body.RichText...)
		if typ == "image" && len(body.Caption) > 0 {
			t.plain(" ")
			t.add(body.Caption...)
		}
		if typ == "table" {
			// A table's rows are its children, one line each.
			t.blocks(body.Children, depth)
			continue
		}
		t.blocks(body.Children, depth+1)
	}
}

// line starts a new line, indented for nested blocks.
func (t *textBuilder) line(depth int) {
	if t.lines > 0 {
		t.plain("\n")
	}
	t.lines++
	t.plain(strings.Repeat("    ", depth))
}

func (t *textBuilder) add(items ...notionapi.RichText) {
	for _, it := range items {
		if it.Type == "" {
			it.Type = "text"
		}
		if it.Type == "text" && it.Text != nil && it.Text.Link == nil && plainAnnotations(it.Annotations) {
			t.plain(it.Text.Content)
			continue
		}
		t.items = append(t.items, it)
	}
}

// plain adds unformatted text, joined to the item before it while that is
// unformatted too and stays within Notion's length.
func (t *textBuilder) plain(s string) {
	if s == "" {
		return
	}
	if n := len(t.items); n > 0 {
		last := &t.items[n-1]
		if last.Type == "text" && last.Text != nil && last.Text.Link == nil && plainAnnotations(last.Annotations) &&
			limits.UTF16Len(last.Text.Content)+limits.UTF16Len(s) <= limits.TextContent {
			last.Text.Content += s
			return
		}
	}
	t.items = append(t.items, notionapi.RichText{Type: "text", Text: &notionapi.Text{Content: s}})
}

func plainAnnotations(a *notionapi.Annotations) bool {
	return a == nil || (!a.Bold && !a.Italic && !a.Strikethrough && !a.Underline && !a.Code && (a.Color == "" || a.Color == "default"))
}
