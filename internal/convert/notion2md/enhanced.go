package notion2md

import (
	"regexp"
	"strings"
	"sync"
)

// FromEnhanced reads Notion's enhanced Markdown, as its markdown endpoint
// answers with a page, into blocks, so that a page read whole in one
// request renders through Markdown and Chunks exactly as one read block by
// block: the model sees the Markdown Visen writes back as blocks, with
// lists, tables, callouts and toggles in the forms md2notion reads, not
// Notion's tags (a <table> or a tab-indented child would otherwise come
// back from a translation as plain text).
//
// The format, from Notion's "Enhanced markdown format" reference: one block
// a line (or a fenced, $$ or tag-wrapped run of lines), children indented
// one tab deeper, {color="…"} after a block's first line, and tags for
// what Markdown lacks. Inline Markdown is kept as it is (Notion escapes
// with backslashes as CommonMark does), with the inline tags (<span>,
// mentions) reduced to their text or a link. Blocks carry no IDs, except a
// child page's or database's, read from its url.
func FromEnhanced(src string) []Block {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	return parseEnhanced(strings.Split(src, "\n"))
}

// enhancedSyntax holds the patterns of enhanced Markdown, compiled on
// the first read rather than when the engine starts.
var enhancedSyntax = sync.OnceValue(func() *syntax {
	return &syntax{
		attrList:    regexp.MustCompile(`\s*\{(?:[a-z-]+="[^"]*"\s*)+\}\s*$`),
		openTag:     regexp.MustCompile(`^<([a-z_-]+)((?:\s+[a-z-]+\??="[^"]*")*)\s*(/?)>(.*)$`),
		attr:        regexp.MustCompile(`([a-z-]+)="([^"]*)"`),
		heading:     regexp.MustCompile(`^(#{1,6})\s+(.*)$`),
		toggleHead:  regexp.MustCompile(`^▶(#{1,3})?\s*(.*)$`),
		numbered:    regexp.MustCompile(`^\d{1,9}[.)]\s+(.*)$`),
		todo:        regexp.MustCompile(`^[-*+]\s+\[([ xX])\]\s?(.*)$`),
		bullet:      regexp.MustCompile(`^[-*+]\s+(.*)$`),
		fence:       regexp.MustCompile("^(`{3,}|~{3,})\\s*([^`]*)$"),
		spanTag:     regexp.MustCompile(`</?span(?:\s+[a-z-]+="[^"]*")*\s*>`),
		mentionPair: regexp.MustCompile(`<mention-(page|database|user|date)((?:\s+[a-z-]+="[^"]*")*)\s*(?:/>|>(.*?)</mention-(?:page|database|user|date)>)`),
		image:       regexp.MustCompile(`^!\[(.*)\]\((\S*)\)$`),
		link:        regexp.MustCompile(`^\[(.*)\]\((\S+)\)$`),
		cell:        regexp.MustCompile(`<td(?:\s+[a-z-]+="[^"]*")*\s*>(.*?)</td>`),
	}
})

type syntax struct {
	attrList, openTag, attr, heading, toggleHead, numbered, todo, bullet, fence, spanTag, mentionPair, image, link, cell *regexp.Regexp
}

var (
	mediaTypes = map[string]string{"image": "image", "file": "file", "pdf": "pdf", "video": "video", "audio": "audio"}
	// containers hold children and no text of their own.
	containers = map[string]string{
		"columns": "column_list", "column": "column", "synced_block": "synced_block",
		"synced_block_reference": "synced_block", "meeting-notes": "synced_block",
		"summary": "synced_block", "notes": "synced_block", "transcript": "synced_block",
	}
)

// parseEnhanced reads the lines of one level: children are the following
// lines indented one tab deeper, given to their block without that tab.
func parseEnhanced(lines []string) []Block {
	var out []Block
	for i := 0; i < len(lines); {
		line := lines[i]
		if strings.TrimSpace(line) == "" {
			i++
			continue
		}
		if strings.HasPrefix(line, "\t") {
			// Lines indented with no block above them to hold them read
			// as that block's children, or at this level.
			kids, n := indented(lines[i:])
			i += n
			if len(out) > 0 {
				last := &out[len(out)-1]
				last.Children = append(last.Children, parseEnhanced(kids)...)
				last.HasChildren = len(last.Children) > 0
			} else {
				out = append(out, parseEnhanced(kids)...)
			}
			continue
		}
		b, n := enhancedBlock(lines[i:])
		i += n
		if b.Type != "" {
			out = append(out, b)
		}
	}
	return out
}

// indented takes the run of lines indented one tab (blank lines inside it
// too), returning them without that tab and how many lines it took.
func indented(lines []string) ([]string, int) {
	var kids []string
	n := 0
	for n < len(lines) {
		l := lines[n]
		if strings.HasPrefix(l, "\t") {
			kids = append(kids, l[1:])
			n++
			continue
		}
		if strings.TrimSpace(l) == "" && n+1 < len(lines) && strings.HasPrefix(lines[n+1], "\t") {
			kids = append(kids, "")
			n++
			continue
		}
		break
	}
	return kids, n
}

// closing takes the lines up to the one that is close (at this level),
// returning those between and how many lines it took, the close included.
// With no close, it takes the rest.
func closing(lines []string, close string) ([]string, int) {
	for n := 1; n < len(lines); n++ {
		if strings.TrimSpace(lines[n]) == close && !strings.HasPrefix(lines[n], "\t") {
			return lines[1:n], n + 1
		}
	}
	return lines[1:], len(lines)
}

// untab takes one leading tab off each line that has one.
func untab(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimPrefix(l, "\t")
	}
	return out
}

// enhancedBlock reads the block that starts lines, with its children, and
// how many lines it took. A block with no type is one that shows nothing.
func enhancedBlock(lines []string) (Block, int) {
	first := lines[0]
	if m := enhancedSyntax().fence.FindStringSubmatch(first); m != nil {
		var body []string
		n := 1
		for ; n < len(lines); n++ {
			if strings.HasPrefix(strings.TrimSpace(lines[n]), m[1]) && strings.Trim(strings.TrimSpace(lines[n]), m[1][:1]) == "" {
				n++
				break
			}
			body = append(body, lines[n])
		}
		b := Block{Type: "code"}
		b.body.Language = strings.TrimSpace(m[2])
		b.body.RichText = []richText{{Type: "text", PlainText: strings.Join(body, "\n")}}
		return b, n
	}
	if t := strings.TrimSpace(first); strings.HasPrefix(t, "$$") {
		if len(t) > 4 && strings.HasSuffix(t, "$$") {
			return textless("equation", func(b *Block) { b.body.Expression = strings.TrimSpace(t[2 : len(t)-2]) }), 1
		}
		body, n := closing(lines, "$$")
		expr := strings.TrimSpace(strings.TrimPrefix(t, "$$"))
		if expr != "" {
			body = append([]string{expr}, body...)
		}
		return textless("equation", func(b *Block) { b.body.Expression = strings.Join(body, "\n") }), n
	}
	if m := enhancedSyntax().openTag.FindStringSubmatch(first); m != nil {
		return tagBlock(lines, m[1], attrs(m[2]), m[3] == "/", m[4])
	}
	text := strings.TrimSpace(enhancedSyntax().attrList.ReplaceAllString(first, ""))
	var b Block
	switch {
	case text == "---" || text == "***" || text == "___":
		b = Block{Type: "divider"}
	case enhancedSyntax().toggleHead.MatchString(text):
		m := enhancedSyntax().toggleHead.FindStringSubmatch(text)
		b = withText("toggle", m[2])
		if m[1] != "" {
			b.Type = "heading_" + string(rune('0'+len(m[1])))
		}
	case enhancedSyntax().heading.MatchString(text):
		m := enhancedSyntax().heading.FindStringSubmatch(text)
		b = withText("heading_"+string(rune('0'+min(len(m[1]), 4))), m[2])
	case enhancedSyntax().todo.MatchString(text):
		m := enhancedSyntax().todo.FindStringSubmatch(text)
		b = withText("to_do", m[2])
		b.body.Checked = m[1] != " "
	case enhancedSyntax().bullet.MatchString(text) || text == "-":
		b = withText("bulleted_list_item", strings.TrimSpace(strings.TrimPrefix(text, "-")))
		if m := enhancedSyntax().bullet.FindStringSubmatch(text); m != nil {
			b = withText("bulleted_list_item", m[1])
		}
	case enhancedSyntax().numbered.MatchString(text):
		b = withText("numbered_list_item", enhancedSyntax().numbered.FindStringSubmatch(text)[1])
	case enhancedSyntax().image.MatchString(text):
		m := enhancedSyntax().image.FindStringSubmatch(text)
		b = Block{Type: "image"}
		b.body.External = &fileURL{URL: m[2]}
		if c := m[1]; c != "" {
			// A linked caption is the image's link, as md2notion writes it.
			rt := richText{Type: markdownText, PlainText: c}
			if l := enhancedSyntax().link.FindStringSubmatch(c); l != nil {
				rt = richText{Type: "text", PlainText: l[1], Href: l[2]}
			}
			b.body.Caption = []richText{rt}
		}
	case strings.HasPrefix(text, ">"):
		b = withText("quote", strings.TrimSpace(strings.TrimPrefix(text, ">")))
	default:
		b = withText("paragraph", text)
	}
	kids, n := indented(lines[1:])
	b.Children = parseEnhanced(kids)
	b.HasChildren = len(b.Children) > 0
	return b, n + 1
}

// tagBlock reads a block written as a tag: self-closing, on one line with
// its text, or wrapping lines of children up to its closing tag.
func tagBlock(lines []string, name string, a map[string]string, selfClosing bool, rest string) (Block, int) {
	inline := strings.TrimSuffix(rest, "</"+name+">")
	oneLine := selfClosing || strings.HasSuffix(rest, "</"+name+">")
	switch {
	case name == "page" || name == "database":
		typ := "child_page"
		if name == "database" {
			typ = "child_database"
		}
		return textless(typ, func(b *Block) {
			b.ID = idFromURL(a["url"])
			b.body.Title = reduceInline(inline)
		}), 1
	case mediaTypes[name] != "":
		return textless(mediaTypes[name], func(b *Block) {
			b.body.External = &fileURL{URL: a["source"]}
			if c := reduceInline(inline); c != "" {
				b.body.Caption = []richText{{Type: markdownText, PlainText: c}}
			}
		}), 1
	case name == "table_of_contents" || name == "breadcrumb":
		return Block{Type: name}, 1
	case name == "unknown":
		return textless("unsupported", func(b *Block) { b.body.BlockType = firstNonEmpty(a["alt"], "block") }), 1
	case name == "empty-block":
		return Block{}, 1
	case oneLine:
		// A tag of one line that is not a block: its text is a paragraph.
		return withText("paragraph", reduceInline(inline)), 1
	}
	inner, n := closing(lines, "</"+name+">")
	switch name {
	case "table":
		return tableFrom(inner, a["header-row"] == "true"), n
	case "details":
		summary := ""
		if len(inner) > 0 {
			if s := strings.TrimSpace(inner[0]); strings.HasPrefix(s, "<summary>") {
				summary = strings.TrimSuffix(strings.TrimPrefix(s, "<summary>"), "</summary>")
				inner = inner[1:]
			}
		}
		b := withText("toggle", summary)
		b.Children = parseEnhanced(untab(inner))
		b.HasChildren = len(b.Children) > 0
		return b, n
	case "callout":
		kids := parseEnhanced(untab(inner))
		b := Block{Type: "callout"}
		if len(kids) > 0 && kids[0].Type == "paragraph" {
			b.body.RichText = kids[0].body.RichText
			kids = append(kids[1:len(kids):len(kids)], kids[0].Children...)
		}
		if a["icon"] != "" {
			b.body.Icon = &icon{Type: "emoji", Emoji: a["icon"]}
		}
		b.body.Color = strings.Replace(a["color"], "_bg", "_background", 1)
		b.Children, b.HasChildren = kids, len(kids) > 0
		return b, n
	}
	typ := containers[name]
	if typ == "" {
		// A tag the reference does not name keeps its content.
		typ = "column"
	}
	b := Block{Type: typ, Children: parseEnhanced(untab(inner))}
	if inline != "" {
		b.Children = append([]Block{withText("paragraph", reduceInline(inline))}, b.Children...)
	}
	b.HasChildren = len(b.Children) > 0
	return b, n
}

// tableFrom reads a <table>'s rows, one <tr> each, its cells on one line
// or several.
func tableFrom(inner []string, header bool) Block {
	t := Block{Type: "table"}
	t.body.HasColumnHeader = header
	joined := strings.Join(inner, "\n")
	for _, row := range strings.Split(joined, "</tr>") {
		start := strings.Index(row, "<tr")
		if start < 0 {
			continue
		}
		r := Block{Type: "table_row"}
		for _, c := range enhancedSyntax().cell.FindAllStringSubmatch(row[start:], -1) {
			text := tableCell(reduceInline(strings.TrimSpace(c[1])))
			r.body.Cells = append(r.body.Cells, []richText{{Type: markdownText, PlainText: text}})
		}
		t.Children = append(t.Children, r)
	}
	t.HasChildren = len(t.Children) > 0
	return t
}

// tableCell escapes the pipes a cell's text holds, which would end the
// cell in a pipe table.
func tableCell(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && (i == 0 || s[i-1] != '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// markdownText is the rich-text type of enhanced Markdown's inline text,
// which is Markdown already and is written as it is.
const markdownText = "markdown"

func withText(typ, text string) Block {
	b := Block{Type: typ}
	if t := reduceInline(text); t != "" {
		b.body.RichText = []richText{{Type: markdownText, PlainText: t}}
	}
	return b
}

func textless(typ string, set func(*Block)) Block {
	b := Block{Type: typ}
	set(&b)
	return b
}

func attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range enhancedSyntax().attr.FindAllStringSubmatch(s, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// reduceInline turns the inline tags of enhanced Markdown into Markdown:
// a coloured or underlined span into its text, a page or database mention
// into a link, a person into their name and a date into its dates.
func reduceInline(s string) string {
	s = enhancedSyntax().spanTag.ReplaceAllString(s, "")
	return enhancedSyntax().mentionPair.ReplaceAllStringFunc(s, func(m string) string {
		p := enhancedSyntax().mentionPair.FindStringSubmatch(m)
		a, text := attrs(p[2]), p[3]
		switch p[1] {
		case "page", "database":
			return "[" + firstNonEmpty(text, a["url"]) + "](" + destination(a["url"]) + ")"
		case "date":
			if a["end"] != "" {
				return a["start"] + " → " + a["end"]
			}
			return a["start"]
		}
		return text
	})
}

// idFromURL is the Notion ID at the end of an address's path, or "".
func idFromURL(u string) string {
	u, _, _ = strings.Cut(u, "?")
	u, _, _ = strings.Cut(u, "#")
	u = strings.TrimRight(u, "/")
	last := u[strings.LastIndex(u, "/")+1:]
	last = strings.ReplaceAll(last, "-", "")
	if len(last) < 32 {
		return ""
	}
	id := strings.ToLower(last[len(last)-32:])
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return ""
		}
	}
	return id[0:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:]
}
