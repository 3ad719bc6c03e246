package notion2md

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/visen/visen/internal/notion/limits"
)

// Markdown renders blocks as one Markdown document.
func Markdown(blocks []Block) string {
	chunks := Chunks(blocks)
	var b strings.Builder
	for i, c := range chunks {
		if i > 0 {
			b.WriteString("\n")
			if !emptyItem().MatchString(chunks[i-1]) {
				b.WriteString("\n")
			}
		}
		b.WriteString(c)
	}
	return b.String()
}

// emptyItem is Markdown that ends with a list item with no text, on a line
// of its own or after the markers of the items holding it: a blank line
// after it would end the list it is in, and the lists around it.
var emptyItem = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:^|\n) *(?:(?:-|1\.) )*(?:-|1\.|- \[[ x]\])$`)
})

// Chunks renders each top-level block as its own Markdown, in order:
// Markdown(blocks) joins them with blank lines (a single line break after
// an empty list item). A caller cutting a page to fit somewhere cuts
// between chunks, at a block boundary.
func Chunks(blocks []Block) []string {
	out := make([]string, 0, len(blocks))
	for _, b := range joinSplits(blocks) {
		if s := block(b); s != "" {
			out = append(out, s)
		}
	}
	return out
}

type renderFunc func(b Block) string

// renderers holds one function per block type; a type not here reads as a
// marker naming it, followed by its content. It is made on first use, not
// when the engine starts; init only sets the function that makes it, as
// renderers recurse through it.
var renderers func() map[string]renderFunc

func init() {
	renderers = sync.OnceValue(makeRenderers)
}

func makeRenderers() map[string]renderFunc {
	return map[string]renderFunc{
		"paragraph":          paragraph,
		"heading_1":          heading("# "),
		"heading_2":          heading("## "),
		"heading_3":          heading("### "),
		"heading_4":          heading("#### "),
		"bulleted_list_item": listItem,
		"numbered_list_item": listItem,
		"to_do":              listItem,
		"quote":              quote,
		"callout":            callout,
		"code":               code,
		"equation":           equationBlock,
		"divider":            func(Block) string { return "---" },
		"table":              table,
		"image":              image,
		"toggle":             toggle,
		"child_page":         childLink("📄 ", "Untitled page"),
		"child_database":     childLink("🗃️ ", "Untitled database"),
		"link_to_page":       linkToPage,
		"bookmark":           linkBlock("🔖 "),
		"embed":              linkBlock("🔗 "),
		"link_preview":       linkBlock("🔗 "),
		"file":               linkBlock("📎 "),
		"pdf":                linkBlock("📄 "),
		"video":              linkBlock("🎬 "),
		"audio":              linkBlock("🔊 "),
		"synced_block":       contentOnly,
		"column_list":        contentOnly,
		"column":             contentOnly,
		"table_of_contents":  marker("Table of contents"),
		"breadcrumb":         marker("Breadcrumb"),
		"template":           contentOnly,
	}
}

func block(b Block) string {
	if f, ok := renderers()[b.Type]; ok {
		return f(b)
	}
	kind := b.Type
	if kind == "unsupported" && b.body.BlockType != "" {
		// Notion names the type it cannot show through the API.
		kind = b.body.BlockType
	}
	return join(markerText("Unsupported block: "+strings.ReplaceAll(kind, "_", " ")), Markdown(b.Children))
}

// join joins the parts that are not empty with blank lines.
func join(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(p string) bool { return p == "" }), "\n\n")
}

// paragraph writes a paragraph's children after it: Markdown cannot nest
// blocks under a paragraph, and their content matters more than the depth.
func paragraph(b Block) string {
	return join(inline(b.body.RichText), Markdown(b.Children))
}

func heading(prefix string) renderFunc {
	return func(b Block) string {
		text := inline(b.body.RichText)
		if text == "" {
			// An empty heading stays one: "##" alone on its line.
			return join(strings.TrimRight(prefix, " "), Markdown(b.Children))
		}
		return join(prefix+text, Markdown(b.Children))
	}
}

func listItem(b Block) string {
	marker := "- "
	switch b.Type {
	case "numbered_list_item":
		marker = "1. "
	case "to_do":
		marker = "- [ ] "
		if b.body.Checked {
			marker = "- [x] "
		}
	}
	text := inline(b.body.RichText)
	kids := leadChildren(b)
	indent := strings.Repeat(" ", len(marker))
	if b.Type == "to_do" {
		indent = "  "
	}
	if kids == "" {
		return strings.TrimRight(marker+text, " ")
	}
	if text == "" {
		sameLine := marker + strings.TrimPrefix(indentLines(kids, indent), indent)
		if b.Type != "to_do" && isListItem(b.Children[0].Type) && !thematicBreak().MatchString(sameLine) {
			// A list does not always start on the line after an empty
			// item's marker, so it starts on the marker's line, unless
			// that makes a rule, as "- - -" does. A to-do's box must end
			// its line.
			return sameLine
		}
		// An item may start with one blank line at most: its children
		// start on the next line, or after a blank one when a to-do's
		// box would take them in as its text.
		sep := "\n"
		if b.Type == "to_do" {
			sep = "\n\n"
		}
		return strings.TrimRight(marker, " ") + sep + indentLines(kids, indent)
	}
	// The blank line keeps a first child paragraph from continuing the
	// item's text.
	return marker + text + "\n\n" + indentLines(kids, indent)
}

// thematicBreak is a first line that reads as a divider.
var thematicBreak = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^ {0,3}(?:(?:- *){3,}|(?:\* *){3,}|(?:_ *){3,})(?:\n|$)`)
})

func isListItem(typ string) bool {
	return typ == "bulleted_list_item" || typ == "numbered_list_item" || typ == "to_do"
}

// indentLines puts prefix before every line but empty ones.
func indentLines(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// quoteLines puts "> " before every line, and ">" before empty ones.
func quoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// leadChildren renders a container's children. When the container has no
// text of its own and its first child is a paragraph, an empty link
// definition (the Markdown comment "[//]: #") goes first, so that the
// paragraph reads back as a child rather than as the container's own text.
func leadChildren(b Block) string {
	kids := Markdown(b.Children)
	if len(b.body.RichText) == 0 && len(b.Children) > 0 && b.Children[0].Type == "paragraph" {
		return join(markdownComment, kids)
	}
	return kids
}

// markdownComment is a link definition, which shows nothing.
const markdownComment = "[//]: #"

func quote(b Block) string {
	body := join(inline(b.body.RichText), leadChildren(b))
	if body == "" {
		return ">"
	}
	return quoteLines(body)
}

// alerts are the callouts md2notion writes for GFM alerts, by emoji and
// colour.
var alerts = map[[2]string]string{
	{"ℹ️", "blue_background"}:   "NOTE",
	{"💡", "green_background"}:   "TIP",
	{"❗", "purple_background"}:  "IMPORTANT",
	{"⚠️", "yellow_background"}: "WARNING",
	{"🛑", "red_background"}:     "CAUTION",
}

// callout writes an alert back as one; any other callout reads as a quote
// that starts with its emoji.
func callout(b Block) string {
	emoji := ""
	if b.body.Icon != nil {
		emoji = b.body.Icon.Emoji
	}
	text := inline(b.body.RichText)
	if kind, ok := alerts[[2]string{emoji, b.body.Color}]; ok {
		return quoteLines(join("[!"+kind+"]\n"+text, leadChildren(b)))
	}
	if emoji != "" {
		text = strings.TrimSpace(emoji + " " + text)
	}
	return quoteLines(join(text, Markdown(b.Children)))
}

func code(b Block) string {
	var text strings.Builder
	for _, r := range b.body.RichText {
		text.WriteString(r.content())
	}
	src := text.String()
	fence := strings.Repeat("`", max(3, longestRun(src, '`')+1))
	return fence + infoString(b.body.Language) + "\n" + src + "\n" + fence
}

// spacedLanguages are the fence names of Notion's languages whose names
// hold a space, which a fence's language cannot.
var spacedLanguages = map[string]string{
	"plain text": "", "visual basic": "vb", "llvm ir": "llvm", "ascii art": "ascii",
}

// infoString is the fence's language that reads back as Notion's name.
func infoString(lang string) string {
	if info, ok := spacedLanguages[lang]; ok {
		return info
	}
	return strings.ReplaceAll(lang, " ", "-")
}

// equationBlock writes display math on one line when it is one line, and
// as a math fence when it is more: between $$ lines, a line of TeX that
// starts with #, -, > or 1. would read as a heading, a list or a quote,
// while a fence keeps every line as it is. TeX holding a $ takes the fence
// too, as its $ would meet the $$ around it.
func equationBlock(b Block) string {
	tex := b.body.Expression
	if !strings.ContainsAny(tex, "\n$") {
		return "$$" + tex + "$$"
	}
	fence := strings.Repeat("`", max(3, longestRun(tex, '`')+1))
	return fence + "math\n" + tex + "\n" + fence
}

func table(b Block) string {
	var rows []string
	for i, row := range b.Children {
		cells := make([]string, len(row.body.Cells))
		for j, c := range row.body.Cells {
			cells[j] = cellInline(c)
		}
		if len(cells) == 0 {
			cells = []string{""}
		}
		rows = append(rows, "| "+strings.Join(cells, " | ")+" |")
		if i == 0 {
			rows = append(rows, "|"+strings.Repeat(" --- |", len(cells)))
		}
	}
	return strings.Join(rows, "\n")
}

// fileLink is the address of a file-like block: external or uploaded.
func fileLink(b Block) string {
	switch {
	case b.body.External != nil:
		return b.body.External.URL
	case b.body.File != nil:
		return b.body.File.URL
	}
	return b.body.URL
}

// image writes an image whose caption is a link, as md2notion makes it from
// a linked image, inside that link.
func image(b Block) string {
	caption := b.body.Caption
	link := ""
	if len(caption) == 1 && caption[0].link() != "" {
		link = caption[0].link()
		caption = []richText{{Type: "text", PlainText: caption[0].content()}}
	}
	alt := altText(caption)
	img := "![" + alt + "](" + destination(fileLink(b)) + ")"
	if link != "" {
		img = "[" + img + "](" + destination(link) + ")"
	}
	return join(img, Markdown(b.Children))
}

// altText is a caption as an image's alt text, which is plain.
func altText(caption []richText) string {
	var b strings.Builder
	for _, r := range caption {
		b.WriteString(r.content())
	}
	return linkLabel(b.String())
}

// linkLabel is plain text written as a link's text or an image's alt
// text, where only balanced brackets may stand: every bracket is a
// character reference.
func linkLabel(text string) string {
	return strings.NewReplacer("[", "&#91;", "]", "&#93;").Replace(escapeText(text, true, true))
}

// toggle writes <details>, which reads back as a toggle of the same
// summary and children.
func toggle(b Block) string {
	summary := htmlEscape(plainText(b.body.RichText))
	return join("<details>\n<summary>"+summary+"</summary>", Markdown(b.Children), "</details>")
}

func plainText(items []richText) string {
	var b strings.Builder
	for _, r := range items {
		b.WriteString(r.content())
	}
	return b.String()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", "<br>").Replace(s)
}

// pageURL is a Notion page's address from its ID.
func pageURL(id string) string {
	return "https://www.notion.so/" + strings.ReplaceAll(id, "-", "")
}

func childLink(emoji, untitled string) renderFunc {
	return func(b Block) string {
		title := b.body.Title
		if strings.TrimSpace(title) == "" {
			title = untitled
		}
		return "[" + emoji + linkLabel(title) + "](" + pageURL(b.ID) + ")"
	}
}

func linkToPage(b Block) string {
	id := b.body.PageID
	if id == "" {
		id = b.body.DatabaseID
	}
	if id == "" {
		return markerText("Link to a page")
	}
	return "[→ " + pageURL(id) + "](" + pageURL(id) + ")"
}

// linkBlock writes a bookmark, embed or file as a link, captioned by its
// caption, its file name or its address.
func linkBlock(emoji string) renderFunc {
	return func(b Block) string {
		url := fileLink(b)
		text := inline(b.body.Caption)
		if text == "" {
			text = linkLabel(firstNonEmpty(b.body.Name, url, strings.ReplaceAll(b.Type, "_", " ")))
		}
		if url == "" {
			return emoji + text
		}
		return "[" + emoji + text + "](" + destination(url) + ")"
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// contentOnly writes only a block's children: synced blocks, columns and
// templates hold content, not text of their own.
func contentOnly(b Block) string {
	return Markdown(b.Children)
}

func marker(name string) renderFunc {
	return func(b Block) string { return join(markerText(name), Markdown(b.Children)) }
}

// markerText is a short bracketed note for a block that has no text.
func markerText(name string) string {
	return escapeText("["+name+"]", true, true)
}

// joinSplits joins back the blocks md2notion split a long text into: a block
// whose rich text is full (Notion's item limit), with no children, followed
// by a block of the same kind and look. Written as one, the text splits at
// the same place again; written as two, the white space at the cut would be
// lost.
func joinSplits(blocks []Block) []Block {
	var out []Block
	for _, b := range blocks {
		if n := len(out); n > 0 && continues(out[n-1], b) {
			prev := &out[n-1]
			prev.body.RichText = append(append([]richText(nil), prev.body.RichText...), b.body.RichText...)
			prev.Children, prev.HasChildren = b.Children, b.HasChildren
			continue
		}
		out = append(out, b)
	}
	return out
}

func continues(prev, b Block) bool {
	if prev.Type != b.Type || len(prev.body.RichText) == 0 || len(prev.body.RichText)%limits.RichTextItems != 0 || len(prev.Children) > 0 {
		return false
	}
	p, q := prev.body, b.body
	return p.Language == q.Language && p.Checked == q.Checked && p.Color == q.Color && sameIcon(p.Icon, q.Icon)
}

func sameIcon(a, b *icon) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
