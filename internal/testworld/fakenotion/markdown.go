package fakenotion

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// DefaultMarkdownLimit is about the most blocks Notion renders in one
// markdown answer ("approximately 20,000 records", in its reference for
// retrieving a page as markdown).
const DefaultMarkdownLimit = 20_000

// SetMarkdownLimit makes markdown answers stop rendering after n blocks,
// as Notion does past its record limit: the blocks after stand as
// <unknown> tags, named in unknown_block_ids, and truncated is set. Zero
// restores the default.
func (s *Server) SetMarkdownLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.markdownLimit = n
}

// markdownPage answers GET /v1/pages/{id}/markdown, Notion's page (or
// left-out block) rendered as enhanced Markdown. The endpoint came with
// Notion-Version 2025-09-03: on an older version the fake refuses it.
func (s *Server) markdownPage(w http.ResponseWriter, in Integration, rawID, version string) {
	if version < Version20250903 {
		apiError(w, 400, "validation_error", "The markdown endpoint needs Notion-Version %s or later; the request sent %s.", Version20250903, version)
		return
	}
	id := Dashed(rawID)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, isPage := s.pages[id]
	_, _, isBlock := s.findBlock(id)
	if (!isPage && !isBlock) || !s.canReach(in, id) {
		apiError(w, 404, "object_not_found", "Could not find page with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id)
		return
	}
	r := &mdRenderer{s: s, page: id, limit: s.markdownLimit, unknown: []string{}}
	if r.limit <= 0 {
		r.limit = DefaultMarkdownLimit
	}
	var lines []string
	if isPage {
		lines = r.blocks(s.blocks[id], 0)
	} else {
		// A left-out block's answer is its own subtree: the block with its
		// children.
		parent, i, _ := s.findBlock(id)
		lines = r.blocks(s.blocks[parent][i:i+1], 0)
	}
	writeJSON(w, 200, map[string]any{
		"object": "page_markdown", "id": id, "markdown": strings.Join(lines, "\n"),
		"truncated": r.truncated, "unknown_block_ids": r.unknown, "request_id": NewID(),
	})
}

// mdRenderer writes stored blocks in Notion's enhanced Markdown, as its
// "Enhanced markdown format" reference gives it: a block a line, children
// one tab deeper, tags for what Markdown lacks. Written here from that
// reference, not from the product's reader, so a reader that misreads the
// format meets the format as documented.
type mdRenderer struct {
	s         *Server
	page      string
	limit     int
	rendered  int
	truncated bool
	unknown   []string
}

func (r *mdRenderer) blocks(bs []map[string]any, depth int) []string {
	var out []string
	for _, b := range bs {
		out = append(out, r.block(b, depth)...)
	}
	return out
}

// unknownTag is a block left out of the answer.
func (r *mdRenderer) unknownTag(b map[string]any, alt string, depth int) []string {
	id, _ := b["id"].(string)
	r.unknown = append(r.unknown, id)
	url := "https://www.notion.so/" + strings.ReplaceAll(r.page, "-", "") + "#" + strings.ReplaceAll(id, "-", "")
	return []string{tabs(depth) + fmt.Sprintf(`<unknown url="%s" alt="%s"/>`, url, alt)}
}

func (r *mdRenderer) block(b map[string]any, depth int) []string {
	typ, _ := b["type"].(string)
	if r.rendered >= r.limit {
		r.truncated = true
		return r.unknownTag(b, typ, depth)
	}
	r.rendered++
	id, _ := b["id"].(string)
	c, _ := b[typ].(map[string]any)
	kids := func() []string { return r.blocks(r.s.blocks[id], depth+1) }
	ind := tabs(depth)
	text := mdRichText(c["rich_text"])
	withKids := func(first string) []string {
		return append([]string{ind + first + colorAttr(c)}, kids()...)
	}
	switch typ {
	case "paragraph":
		if text == "" && len(r.s.blocks[id]) == 0 {
			return []string{ind + "<empty-block/>"}
		}
		return withKids(text)
	case "heading_1", "heading_2", "heading_3", "heading_4":
		return withKids(strings.Repeat("#", int(typ[len(typ)-1]-'0')) + " " + text)
	case "bulleted_list_item":
		return withKids("- " + text)
	case "numbered_list_item":
		return withKids("1. " + text)
	case "to_do":
		box := "[ ]"
		if checked, _ := c["checked"].(bool); checked {
			box = "[x]"
		}
		return withKids("- " + box + " " + text)
	case "quote":
		return withKids("> " + text)
	case "toggle":
		out := []string{ind + "<details>", ind + "<summary>" + text + "</summary>"}
		return append(append(out, kids()...), ind+"</details>")
	case "callout":
		attrs := ""
		if icon, _ := c["icon"].(map[string]any); icon != nil {
			if e, _ := icon["emoji"].(string); e != "" {
				attrs += fmt.Sprintf(` icon="%s"`, e)
			}
		}
		if color, _ := c["color"].(string); color != "" && color != "default" {
			attrs += fmt.Sprintf(` color="%s"`, strings.Replace(color, "_background", "_bg", 1))
		}
		out := []string{ind + "<callout" + attrs + ">"}
		if text != "" {
			out = append(out, ind+"\t"+text)
		}
		return append(append(out, kids()...), ind+"</callout>")
	case "code":
		lang, _ := c["language"].(string)
		out := []string{ind + "```" + lang}
		for _, l := range strings.Split(mdPlain(c["rich_text"]), "\n") {
			out = append(out, ind+l)
		}
		return append(out, ind+"```")
	case "equation":
		expr, _ := c["expression"].(string)
		return []string{ind + "$$", ind + expr, ind + "$$"}
	case "divider":
		return []string{ind + "---"}
	case "table":
		attrs := ""
		if h, _ := c["has_column_header"].(bool); h {
			attrs += ` header-row="true"`
		}
		out := []string{ind + "<table" + attrs + ">"}
		for _, row := range r.s.blocks[id] {
			r.rendered++
			rc, _ := row["table_row"].(map[string]any)
			cells, _ := rc["cells"].([]any)
			out = append(out, ind+"\t<tr>")
			for _, cell := range cells {
				out = append(out, ind+"\t\t<td>"+mdRichText(cell)+"</td>")
			}
			out = append(out, ind+"\t</tr>")
		}
		return append(out, ind+"</table>")
	case "child_page", "child_database":
		tag := "page"
		if typ == "child_database" {
			tag = "database"
		}
		title, _ := c["title"].(string)
		return []string{ind + fmt.Sprintf(`<%s url="https://www.notion.so/%s">%s</%s>`, tag, strings.ReplaceAll(id, "-", ""), mdEscape(title), tag)}
	case "image", "file", "pdf", "video", "audio":
		url := ""
		if ext, _ := c["external"].(map[string]any); ext != nil {
			url, _ = ext["url"].(string)
		}
		if typ == "image" {
			return []string{ind + "![" + mdRichText(c["caption"]) + "](" + url + ")"}
		}
		return []string{ind + fmt.Sprintf(`<%s source="%s">%s</%s>`, typ, url, mdRichText(c["caption"]), typ)}
	case "column_list":
		return append(append([]string{ind + "<columns>"}, kids()...), ind+"</columns>")
	case "column":
		return append(append([]string{ind + "<column>"}, kids()...), ind+"</column>")
	case "synced_block":
		return append(append([]string{ind + "<synced_block>"}, kids()...), ind+"</synced_block>")
	case "table_of_contents":
		return []string{ind + "<table_of_contents/>"}
	}
	// Bookmarks, embeds, link previews, breadcrumbs and what the API does
	// not support are not carried by the format: Notion names them as
	// unknown, without truncating.
	alt := typ
	if typ == "unsupported" {
		alt, _ = c["block_type"].(string)
	}
	return r.unknownTag(b, alt, depth)
}

func tabs(n int) string { return strings.Repeat("\t", n) }

// colorAttr is a block's colour as enhanced Markdown puts it after the
// block's first line.
func colorAttr(c map[string]any) string {
	if color, _ := c["color"].(string); color != "" && color != "default" {
		return fmt.Sprintf(` {color="%s"}`, strings.Replace(color, "_background", "_bg", 1))
	}
	return ""
}

// mdEscape escapes the characters the reference lists as special outside
// code.
var mdEscape = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `~`, `\~`, "`", "\\`", `$`, `\$`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `{`, `\{`, `}`, `\}`, `|`, `\|`, `^`, `\^`).Replace

// mdPlain is rich text's content with no styling.
func mdPlain(v any) string {
	items, _ := v.([]any)
	var b strings.Builder
	for _, it := range items {
		m, _ := it.(map[string]any)
		if t, _ := m["text"].(map[string]any); t != nil {
			s, _ := t["content"].(string)
			b.WriteString(s)
		} else if p, _ := m["plain_text"].(string); p != "" {
			b.WriteString(p)
		}
	}
	return b.String()
}

// mdRichText is rich text in enhanced Markdown: Markdown's emphasis, code
// and links, $…$ for equations, <br> for a line break, <span> for
// underline and colour, and a tag for each mention. Emphasis that goes on
// across items opens once, as an editor writes it (**bold *both* bold**).
func mdRichText(v any) string {
	items, _ := v.([]any)
	var b strings.Builder
	var open []string
	setStyles := func(want map[string]bool) {
		// Close from the innermost until every open style is wanted, then
		// open what is missing.
		for i := len(open) - 1; i >= 0; i-- {
			keep := true
			for _, d := range open[i:] {
				keep = keep && want[d]
			}
			if keep {
				break
			}
			for j := len(open) - 1; j >= i; j-- {
				b.WriteString(open[j])
			}
			open = open[:i]
		}
		for _, d := range []string{"**", "*", "~~"} {
			if want[d] && !slices.Contains(open, d) {
				b.WriteString(d)
				open = append(open, d)
			}
		}
	}
	for _, it := range items {
		m, _ := it.(map[string]any)
		a, _ := m["annotations"].(map[string]any)
		on := func(k string) bool { x, _ := a[k].(bool); return x }
		t, _ := m["text"].(map[string]any)
		link, _ := t["link"].(map[string]any)
		want := map[string]bool{}
		if m["type"] == "text" && link == nil && !on("code") {
			want = map[string]bool{"**": on("bold"), "*": on("italic"), "~~": on("strikethrough")}
		}
		setStyles(want)
		switch m["type"] {
		case "equation":
			eq, _ := m["equation"].(map[string]any)
			expr, _ := eq["expression"].(string)
			b.WriteString("$" + expr + "$")
			continue
		case "mention":
			b.WriteString(mdMention(m))
			continue
		}
		content, _ := t["content"].(string)
		s := strings.ReplaceAll(mdEscape(content), "\n", "<br>")
		if on("code") {
			s = "`" + strings.ReplaceAll(content, "\n", "<br>") + "`"
		}
		if link != nil || on("code") {
			// A link's or code's own styles go inside it.
			if on("strikethrough") {
				s = "~~" + s + "~~"
			}
			if on("italic") {
				s = "*" + s + "*"
			}
			if on("bold") {
				s = "**" + s + "**"
			}
		}
		if on("underline") {
			s = `<span underline="true">` + s + "</span>"
		}
		if color, _ := a["color"].(string); color != "" && color != "default" {
			s = fmt.Sprintf(`<span color="%s">%s</span>`, strings.Replace(color, "_background", "_bg", 1), s)
		}
		if link != nil {
			url, _ := link["url"].(string)
			s = "[" + s + "](" + url + ")"
		}
		b.WriteString(s)
	}
	setStyles(map[string]bool{})
	return b.String()
}

// mdMention is a mention's tag.
func mdMention(m map[string]any) string {
	mention, _ := m["mention"].(map[string]any)
	kind, _ := mention["type"].(string)
	value, _ := mention[kind].(map[string]any)
	plain, _ := m["plain_text"].(string)
	switch kind {
	case "user":
		id, _ := value["id"].(string)
		return fmt.Sprintf(`<mention-user url="user://%s">%s</mention-user>`, id, mdEscape(plain))
	case "date":
		start, _ := value["start"].(string)
		if end, _ := value["end"].(string); end != "" {
			return fmt.Sprintf(`<mention-date start="%s" end="%s"/>`, start, end)
		}
		return fmt.Sprintf(`<mention-date start="%s"/>`, start)
	case "page", "database":
		id, _ := value["id"].(string)
		return fmt.Sprintf(`<mention-%s url="https://www.notion.so/%s">%s</mention-%s>`, kind, strings.ReplaceAll(id, "-", ""), mdEscape(plain), kind)
	}
	return mdEscape(plain)
}
