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
		if s.equation && utf16Len(s.text) > limits.Equation {
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
			parts = splitUTF16(s.text, limits.TextContent)
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

// utf16Len counts as JavaScript's String.length does. It reads bytes, not
// runes: every UTF-8 sequence is one UTF-16 unit, but a four-byte one (a
// surrogate pair) is two.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c&0xC0 == 0x80:
		case c >= 0xF0:
			n += 2
		default:
			n++
		}
	}
	return n
}

// splitUTF16 cuts s into pieces of at most max UTF-16 code units, only at
// the start of a UTF-8 sequence, so never inside a surrogate pair. s is
// valid UTF-8 (Convert makes sure of it).
func splitUTF16(s string, max int) []string {
	if len(s) <= max {
		return []string{s}
	}
	var out []string
	start, units := 0, 0
	for i := 0; i < len(s); i++ {
		// Eight ASCII bytes at a time: the common case of code and prose.
		for units+8 <= max && i+8 <= len(s) && ascii8(s[i:i+8]) {
			units += 8
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c&0xC0 == 0x80 {
			continue
		}
		w := 1
		if c >= 0xF0 {
			w = 2
		}
		if units+w > max {
			out = append(out, s[start:i])
			start, units = i, 0
		}
		units += w
	}
	return append(out, s[start:])
}

func ascii8(s string) bool {
	return (uint64(s[0])|uint64(s[1])<<8|uint64(s[2])<<16|uint64(s[3])<<24|
		uint64(s[4])<<32|uint64(s[5])<<40|uint64(s[6])<<48|uint64(s[7])<<56)&0x8080808080808080 == 0
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
