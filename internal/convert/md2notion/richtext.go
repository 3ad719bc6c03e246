package md2notion

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/notion/limits"
)

// span is a run of inline text with one set of annotations and one link, or
// an inline equation.
type span struct {
	text     string
	ann      notionapi.Annotations
	link     string
	equation bool
}

func (s span) sameStyle(o span) bool {
	return s.ann == o.ann && s.link == o.link && !s.equation && !o.equation
}

// appendSpan adds text, merging it into the previous span when the style is
// the same, so Notion gets as few rich-text items as possible.
func appendSpan(spans []span, s span) []span {
	if s.text == "" {
		return spans
	}
	if n := len(spans); n > 0 && spans[n-1].sameStyle(s) {
		spans[n-1].text += s.text
		return spans
	}
	return append(spans, s)
}

// richTexts turns spans into rich-text arrays that each fit one block:
// texts longer than Notion's limit are split into more items, and more than
// a block's item limit continue in the next array.
func richTexts(spans []span) [][]notionapi.RichText {
	items := make([]notionapi.RichText, 0, len(spans))
	// Every item points to its text and most to annotations: allocate them
	// together, one array each, instead of one by one.
	texts := make([]notionapi.Text, 0, len(spans))
	var anns []notionapi.Annotations
	for _, s := range spans {
		if s.equation && limits.UTF16Len(s.text) > limits.Equation {
			// Too long for an inline equation: keep the TeX as code.
			s.equation, s.ann.Code = false, true
		}
		// Plain text goes without an annotations object, keeping the
		// request small.
		var ann *notionapi.Annotations
		if s.ann != (notionapi.Annotations{}) {
			if anns == nil {
				anns = make([]notionapi.Annotations, 0, len(spans))
			}
			anns = append(anns, s.ann)
			ann = &anns[len(anns)-1]
		}
		if s.equation {
			items = append(items, notionapi.RichText{Type: "equation", Equation: &notionapi.Equation{Expression: s.text}, Annotations: ann})
			continue
		}
		var link *notionapi.Link
		if s.link != "" {
			link = &notionapi.Link{Url: s.link}
		}
		parts := []string{s.text}
		// A string's length in bytes is never less than in UTF-16 units.
		if len(s.text) > limits.TextContent {
			parts = limits.SplitUTF16(s.text, limits.TextContent)
		}
		for _, part := range parts {
			texts = append(texts, notionapi.Text{Content: part, Link: link})
			items = append(items, notionapi.RichText{Type: "text", Text: &texts[len(texts)-1], Annotations: ann})
		}
	}
	if len(items) == 0 {
		return [][]notionapi.RichText{{}}
	}
	var out [][]notionapi.RichText
	for len(items) > limits.RichTextItems {
		out = append(out, items[:limits.RichTextItems:limits.RichTextItems])
		items = items[limits.RichTextItems:]
	}
	return append(out, items)
}

// linkURL returns the URL Notion can store for a link destination, or ""
// when it cannot: relative, not http(s) or mailto, invalid, or too long.
func linkURL(dest string) string {
	dest = strings.TrimSpace(dest)
	// Models write links with spaces; Notion needs them escaped.
	dest = strings.ReplaceAll(dest, " ", "%20")
	if dest == "" || limits.UTF16Len(dest) > limits.LinkURL || !utf8.ValidString(dest) {
		return ""
	}
	u, err := url.Parse(dest)
	if err != nil {
		return ""
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
	case "mailto":
		if u.Opaque == "" {
			return ""
		}
	default:
		return ""
	}
	return dest
}

// imageURL returns the address Notion can show as an external image, or "".
func imageURL(dest string) string {
	u := linkURL(dest)
	if strings.HasPrefix(u, "mailto:") {
		return ""
	}
	return u
}
