package mdnotion

import (
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/limits"
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
	var items []notionapi.RichText
	for _, s := range spans {
		if s.equation {
			if utf16Len(s.text) <= limits.Equation {
				items = append(items, notionapi.RichText{Type: "equation", Equation: &notionapi.Equation{Expression: s.text}, Annotations: annotations(s.ann)})
				continue
			}
			// Too long for an inline equation: keep the TeX as code.
			s.ann.Code = true
		}
		for _, part := range splitUTF16(s.text, limits.TextContent) {
			rt := notionapi.RichText{Type: "text", Text: &notionapi.Text{Content: part}, Annotations: annotations(s.ann)}
			if s.link != "" {
				rt.Text.Link = &notionapi.Link{Url: s.link}
			}
			items = append(items, rt)
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

// annotations leaves plain text without an annotations object, keeping the
// request small.
func annotations(a notionapi.Annotations) *notionapi.Annotations {
	if a == (notionapi.Annotations{}) {
		return nil
	}
	return &a
}

// utf16Len counts as JavaScript's String.length does.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// splitUTF16 cuts s into pieces of at most max UTF-16 code units, never
// inside a surrogate pair (nor inside a UTF-8 sequence).
func splitUTF16(s string, max int) []string {
	if len(s) <= max {
		return []string{s}
	}
	var out []string
	start, units := 0, 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if units+w > max {
			out = append(out, s[start:i])
			start, units = i, 0
		}
		units += w
	}
	if start < len(s) || len(out) == 0 {
		out = append(out, s[start:])
	}
	return out
}

// linkURL returns the URL Notion can store for a link destination, or ""
// when it cannot: relative, not http(s) or mailto, invalid, or too long.
func linkURL(dest string) string {
	dest = strings.TrimSpace(dest)
	// Models write links with spaces; Notion needs them escaped.
	dest = strings.ReplaceAll(dest, " ", "%20")
	if dest == "" || utf16Len(dest) > limits.LinkURL || !utf8.ValidString(dest) {
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
