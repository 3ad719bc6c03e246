package md2notion

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gohugoio/hugo-goldmark-extensions/passthrough"
	"github.com/jomei/notionapi"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/visen/visen/internal/notion/limits"
)

func init() {
	converters = map[ast.NodeKind]convertFunc{
		ast.KindParagraph:                (*converter).paragraph,
		ast.KindTextBlock:                (*converter).paragraph,
		ast.KindHeading:                  (*converter).heading,
		ast.KindList:                     (*converter).list,
		ast.KindBlockquote:               (*converter).quote,
		kindAlert:                        (*converter).alert,
		ast.KindFencedCodeBlock:          (*converter).code,
		ast.KindCodeBlock:                (*converter).code,
		ast.KindThematicBreak:            (*converter).divider,
		ast.KindHTMLBlock:                (*converter).html,
		east.KindTable:                   (*converter).table,
		east.KindFootnoteList:            (*converter).footnotes,
		passthrough.KindPassthroughBlock: (*converter).equation,
		ast.KindLinkReferenceDefinition:  func(*converter, ast.Node) []notionapi.Block { return nil },
	}
}

func basic(kind notionapi.BlockType) notionapi.BasicBlock {
	return notionapi.BasicBlock{Object: notionapi.ObjectTypeBlock, Type: kind}
}

// textBlock makes one block of a text-bearing kind.
type textBlock func(rt []notionapi.RichText, children []notionapi.Block) notionapi.Block

// withText makes as many blocks of one kind as the text needs: past
// Notion's rich-text item limit the text continues in a further block of the
// same kind. Children go under the last one.
func withText(newBlock textBlock, spans []span, children []notionapi.Block) []notionapi.Block {
	parts := richTexts(spans)
	out := make([]notionapi.Block, 0, len(parts))
	for i, rt := range parts {
		var kids []notionapi.Block
		if i == len(parts)-1 {
			kids = children
		}
		out = append(out, newBlock(rt, kids))
	}
	return out
}

func paragraphBlock(rt []notionapi.RichText, kids []notionapi.Block) notionapi.Block {
	return &notionapi.ParagraphBlock{BasicBlock: basic(notionapi.BlockTypeParagraph), Paragraph: notionapi.Paragraph{RichText: rt, Children: kids}}
}

// hasText reports whether spans show anything but white space.
func hasText(spans []span) bool {
	for _, s := range spans {
		if strings.TrimSpace(s.text) != "" || fixed(s) && s.text != "" {
			return true
		}
	}
	return false
}

// fixed reports a span whose text is kept exactly, spaces included: an
// equation, or code (a code span of spaces alone is still code).
func fixed(s span) bool { return s.equation || s.ann.Code }

// paragraph keeps images in their place by closing the paragraph before
// each one and opening another after it.
func (c *converter) paragraph(n ast.Node) []notionapi.Block {
	var out []notionapi.Block
	for _, p := range c.inlines(n) {
		if p.image != nil {
			out = append(out, imageBlock(*p.image)...)
		} else if hasText(p.spans) {
			out = append(out, withText(paragraphBlock, trimSpans(p.spans), nil)...)
		}
	}
	return out
}

// trimSpans drops the white space a paragraph starts or ends with, which
// is left around lifted images and line breaks. It trims spans in place.
func trimSpans(out []span) []span {
	for len(out) > 0 && !fixed(out[0]) && strings.TrimLeft(out[0].text, " \n\t") == "" {
		out = out[1:]
	}
	for len(out) > 0 && !fixed(out[len(out)-1]) && strings.TrimRight(out[len(out)-1].text, " \n\t") == "" {
		out = out[:len(out)-1]
	}
	if len(out) > 0 && !fixed(out[0]) {
		out[0].text = strings.TrimLeft(out[0].text, " \n\t")
	}
	if n := len(out); n > 0 && !fixed(out[n-1]) {
		out[n-1].text = strings.TrimRight(out[n-1].text, " \n\t")
	}
	return out
}

// split separates a block's own text from the images inside it, which
// become blocks of their own.
func split(pieces []piece) ([]span, []notionapi.Block) {
	var spans []span
	var images []notionapi.Block
	for _, p := range pieces {
		switch {
		case p.image != nil:
			images = append(images, imageBlock(*p.image)...)
		case spans == nil:
			// The first run of text is taken as it is, saving a copy in the
			// common case of a block without images.
			spans = p.spans
		default:
			for _, s := range p.spans {
				spans = appendSpan(spans, s)
			}
		}
	}
	return trimSpans(spans), images
}

func imageBlock(img image) []notionapi.Block {
	b := &notionapi.ImageBlock{BasicBlock: basic(notionapi.BlockTypeImage), Image: notionapi.Image{
		Type: notionapi.FileTypeExternal, External: &notionapi.FileObject{URL: img.url},
	}}
	// A link around the image lives on in its caption, the only text an
	// image block has.
	caption := orText(img.alt, img.link)
	if caption == "" {
		return []notionapi.Block{b}
	}
	// A caption is one rich-text array: a very long alt text continues in
	// a paragraph after the image.
	parts := richTexts([]span{{text: caption, link: img.link}})
	b.Image.Caption = parts[0]
	out := []notionapi.Block{b}
	for _, rt := range parts[1:] {
		out = append(out, paragraphBlock(rt, nil))
	}
	return out
}

func (c *converter) heading(n ast.Node) []notionapi.Block {
	h := n.(*ast.Heading)
	spans, images := split(c.inlines(n))
	newBlock := func(rt []notionapi.RichText, _ []notionapi.Block) notionapi.Block {
		heading := notionapi.Heading{RichText: rt}
		switch h.Level {
		case 1:
			return &notionapi.Heading1Block{BasicBlock: basic(notionapi.BlockTypeHeading1), Heading1: heading}
		case 2:
			return &notionapi.Heading2Block{BasicBlock: basic(notionapi.BlockTypeHeading2), Heading2: heading}
		case 3:
			return &notionapi.Heading3Block{BasicBlock: basic(notionapi.BlockTypeHeading3), Heading3: heading}
		}
		return &Heading4Block{BasicBlock: basic(BlockTypeHeading4), Heading4: heading}
	}
	switch {
	case hasText(spans):
		return append(withText(newBlock, spans, nil), images...)
	case len(images) == 0:
		// An empty heading (## alone) is a heading still, as it shows.
		return []notionapi.Block{newBlock([]notionapi.RichText{}, nil)}
	}
	return images
}

func (c *converter) list(n ast.Node) []notionapi.Block {
	l := n.(*ast.List)
	var out []notionapi.Block
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		out = append(out, c.listItem(item, l.IsOrdered())...)
	}
	return out
}

// listItem gives the item's first paragraph to the item itself and makes
// everything after it (more paragraphs, code, quotes, tables, nested lists)
// its children. Images in the first paragraph lead the children.
func (c *converter) listItem(item ast.Node, ordered bool) []notionapi.Block {
	var spans []span
	var children []notionapi.Block
	rest := item.FirstChild()
	checked, task := false, false
	if first := item.FirstChild(); first != nil && (first.Kind() == ast.KindParagraph || first.Kind() == ast.KindTextBlock) {
		if box, ok := first.FirstChild().(*east.TaskCheckBox); ok {
			task, checked = true, box.IsChecked
		}
		spans, children = split(c.inlines(first))
		rest = first.NextSibling()
	}
	children = append(children, c.blocksFrom(rest)...)
	newBlock := func(rt []notionapi.RichText, kids []notionapi.Block) notionapi.Block {
		item := notionapi.ListItem{RichText: rt, Children: kids}
		switch {
		case task:
			return &notionapi.ToDoBlock{BasicBlock: basic(notionapi.BlockTypeToDo), ToDo: notionapi.ToDo{RichText: rt, Children: kids, Checked: checked}}
		case ordered:
			return &notionapi.NumberedListItemBlock{BasicBlock: basic(notionapi.BlockTypeNumberedListItem), NumberedListItem: item}
		}
		return &notionapi.BulletedListItemBlock{BasicBlock: basic(notionapi.BlockTypeBulletedListItem), BulletedListItem: item}
	}
	return withText(newBlock, spans, children)
}

// leadAndRest splits a container's children into the first paragraph's
// text, which becomes the block's own, and the blocks after it.
func (c *converter) leadAndRest(n ast.Node) ([]span, []notionapi.Block) {
	var spans []span
	var children []notionapi.Block
	rest := n.FirstChild()
	if first, ok := rest.(*ast.Paragraph); ok {
		spans, children = split(c.inlines(first))
		rest = first.NextSibling()
	}
	return spans, append(children, c.blocksFrom(rest)...)
}

func (c *converter) quote(n ast.Node) []notionapi.Block {
	spans, children := c.leadAndRest(n)
	newBlock := func(rt []notionapi.RichText, kids []notionapi.Block) notionapi.Block {
		return &notionapi.QuoteBlock{BasicBlock: basic(notionapi.BlockTypeQuote), Quote: notionapi.Quote{RichText: rt, Children: kids}}
	}
	return withText(newBlock, spans, children)
}

var alertStyles = map[string]struct {
	emoji, color string
}{
	"NOTE":      {"ℹ️", "blue_background"},
	"TIP":       {"💡", "green_background"},
	"IMPORTANT": {"❗", "purple_background"},
	"WARNING":   {"⚠️", "yellow_background"},
	"CAUTION":   {"🛑", "red_background"},
}

func (c *converter) alert(n ast.Node) []notionapi.Block {
	style := alertStyles[n.(*alertNode).alertType]
	spans, children := c.leadAndRest(n)
	newBlock := func(rt []notionapi.RichText, kids []notionapi.Block) notionapi.Block {
		emoji := notionapi.Emoji(style.emoji)
		return &notionapi.CalloutBlock{BasicBlock: basic(notionapi.BlockTypeCallout), Callout: notionapi.Callout{
			RichText: rt, Children: kids, Color: style.color, Icon: &notionapi.Icon{Type: "emoji", Emoji: &emoji},
		}}
	}
	return withText(newBlock, spans, children)
}

func (c *converter) code(n ast.Node) []notionapi.Block {
	lang := "plain text"
	if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
		lang = language(string(f.Info.Segment.Value(c.src)))
		if isMathFence(f.Info.Segment.Value(c.src)) {
			return equationBlocks(strings.TrimSpace(linesText(c.src, n.Lines())))
		}
	}
	return codeBlocks(strings.TrimSuffix(linesText(c.src, n.Lines()), "\n"), lang)
}

// isMathFence reports a ```math fence, which GitHub shows as display math.
func isMathFence(info []byte) bool {
	word, _, _ := strings.Cut(strings.TrimSpace(string(info)), " ")
	return strings.EqualFold(word, "math")
}

// linesText joins a block's lines. Lines that follow each other in the
// source with no indentation taken off are one slice of it, copied once.
func linesText(src []byte, lines *text.Segments) string {
	if lines.Len() == 0 {
		return ""
	}
	contiguous, size := true, 0
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		size += seg.Len() + seg.Padding
		if seg.Padding > 0 || (i > 0 && lines.At(i-1).Stop != seg.Start) {
			contiguous = false
		}
	}
	if contiguous {
		return string(src[lines.At(0).Start:lines.At(lines.Len()-1).Stop])
	}
	var b strings.Builder
	b.Grow(size)
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

// codeBlocks keeps long code whole by continuing it in further code blocks.
func codeBlocks(code, lang string) []notionapi.Block {
	newBlock := func(rt []notionapi.RichText, _ []notionapi.Block) notionapi.Block {
		return &notionapi.CodeBlock{BasicBlock: basic(notionapi.BlockTypeCode), Code: notionapi.Code{RichText: rt, Language: lang}}
	}
	return withText(newBlock, []span{{text: code}}, nil)
}

func (c *converter) divider(ast.Node) []notionapi.Block {
	return []notionapi.Block{&notionapi.DividerBlock{BasicBlock: basic(notionapi.BlockTypeDivider)}}
}

func (c *converter) equation(n ast.Node) []notionapi.Block {
	b := n.(*passthrough.PassthroughBlock)
	tex := ""
	if b.Lines().Len() == 1 {
		tex = mathSource(c.src, b, b.Lines().At(0))
	} else {
		tex = linesText(c.src, b.Lines())
	}
	tex = strings.TrimSpace(tex)
	tex = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(tex, b.Delimiters.Open), b.Delimiters.Close))
	return equationBlocks(tex)
}

// equationBlocks is display math as an equation block, or as LaTeX code
// when it is too long for one; nothing when there is no TeX.
func equationBlocks(tex string) []notionapi.Block {
	if tex == "" {
		return nil
	}
	if limits.UTF16Len(tex) > limits.Equation {
		return codeBlocks(tex, "latex")
	}
	return []notionapi.Block{&notionapi.EquationBlock{BasicBlock: basic(notionapi.BlockTypeEquation), Equation: notionapi.Equation{Expression: tex}}}
}

// table makes a Notion table as wide as its widest row, padding short rows.
// Images in cells stay as linked text in the cell and follow the table as
// image blocks, after the text of any cell too long for one.
func (c *converter) table(n ast.Node) []notionapi.Block {
	var rows [][][]span
	var images []notionapi.Block
	width := 0
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		var cells [][]span
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			var spans []span
			for _, p := range c.inlines(cell) {
				if p.image != nil {
					images = append(images, imageBlock(*p.image)...)
					spans = appendSpan(spans, span{text: orText(p.image.alt, p.image.url), link: p.image.url})
					continue
				}
				for _, s := range p.spans {
					spans = appendSpan(spans, s)
				}
			}
			cells = append(cells, spans)
		}
		width = max(width, len(cells))
		rows = append(rows, cells)
	}
	var rowBlocks, overflow []notionapi.Block
	for _, cells := range rows {
		rt := make([][]notionapi.RichText, width)
		for i := range rt {
			rt[i] = []notionapi.RichText{}
			if i < len(cells) {
				var rest []notionapi.Block
				rt[i], rest = cellText(cells[i])
				overflow = append(overflow, rest...)
			}
		}
		rowBlocks = append(rowBlocks, &notionapi.TableRowBlock{BasicBlock: basic(notionapi.BlockTypeTableRowBlock), TableRow: notionapi.TableRow{Cells: rt}})
	}
	table := &notionapi.TableBlock{BasicBlock: basic(notionapi.BlockTypeTableBlock), Table: notionapi.Table{
		TableWidth: width, HasColumnHeader: true, Children: rowBlocks,
	}}
	return append(append([]notionapi.Block{table}, overflow...), images...)
}

// cellText is a cell's rich text. A cell is one rich-text array: past the
// item limit its text is joined, unstyled, into as few items as the length
// limit allows, and what still does not fit follows the table as
// paragraphs, so no text is lost.
func cellText(spans []span) ([]notionapi.RichText, []notionapi.Block) {
	parts := richTexts(spans)
	if len(parts) == 1 {
		return parts[0], nil
	}
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.text)
	}
	parts = richTexts([]span{{text: b.String()}})
	var rest []notionapi.Block
	for _, rt := range parts[1:] {
		rest = append(rest, paragraphBlock(rt, nil))
	}
	return parts[0], rest
}

func orText(s, fallback string) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	return fallback
}

// footnotes gathers the notes under a heading at the end, each starting
// with the mark the text uses.
func (c *converter) footnotes(n ast.Node) []notionapi.Block {
	out := []notionapi.Block{&notionapi.Heading3Block{BasicBlock: basic(notionapi.BlockTypeHeading3), Heading3: notionapi.Heading{
		RichText: richTexts([]span{{text: "Footnotes"}})[0],
	}}}
	for note := n.FirstChild(); note != nil; note = note.NextSibling() {
		fn, ok := note.(*east.Footnote)
		if !ok {
			continue
		}
		mark := span{text: "[" + strconv.Itoa(fn.Index) + "] "}
		spans, children := c.leadAndRest(fn)
		lead := []span{mark}
		for _, s := range spans {
			lead = appendSpan(lead, s)
		}
		// An empty note is its mark alone, with no space after it.
		out = append(out, withText(paragraphBlock, trimSpans(lead), children)...)
	}
	return out
}

var (
	detailsOpen  = regexp.MustCompile(`(?is)^\s*<details[\s>]`)
	detailsClose = regexp.MustCompile(`(?i)</details\s*>`)
	summaryOpen  = regexp.MustCompile(`(?i)^<summary[\s/>]`)
	summaryClose = regexp.MustCompile(`(?i)^</summary[\s>]`)
	// anyTag is a comment or a tag: < then a letter, up to the next >,
	// with no < on the way, so that "a < b" stays text.
	anyTag    = regexp.MustCompile(`(?s)<!--.*?-->|</?[A-Za-z][^<>]*>`)
	lineBreak = regexp.MustCompile(`(?i)^(<br\s*/?>|</?(p|div|summary|details|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote|pre|hr)\b)`)
)

func htmlText(c *converter, n ast.Node) string {
	s := linesText(c.src, n.Lines())
	if h, ok := n.(*ast.HTMLBlock); ok && h.HasClosure() {
		s += string(h.ClosureLine.Value(c.src))
	}
	return s
}

func isDetailsOpen(src []byte, n *ast.HTMLBlock) bool {
	return detailsOpen.MatchString(htmlText(&converter{src: src}, n))
}

// visible is what a browser would show of an HTML fragment: tags dropped,
// line breaks kept, entities decoded.
func visible(html string) string {
	summary, body, _ := splitHTML(html)
	return joinLines(summary, body)
}

// splitHTML reads HTML tag by tag into the visible text of its summaries
// and of the rest, and reports whether a </details> is among the tags.
// Line breaks and block-level tags become new lines, other tags nothing.
func splitHTML(html string) (summary, rest string, closesDetails bool) {
	var sum, body strings.Builder
	out, last := &body, 0
	for _, m := range anyTag.FindAllStringIndex(html, -1) {
		out.WriteString(html[last:m[0]])
		last = m[1]
		tag := html[m[0]:m[1]]
		switch {
		case summaryOpen.MatchString(tag):
			out = &sum
		case summaryClose.MatchString(tag):
			out = &body
		case detailsClose.MatchString(tag):
			closesDetails = true
		}
		if lineBreak.MatchString(tag) {
			out.WriteByte('\n')
		}
	}
	out.WriteString(html[last:])
	return cleanLines(sum.String()), cleanLines(body.String()), closesDetails
}

// cleanLines decodes entities and drops blank lines and the white space
// around each line, as a browser lays text out.
func cleanLines(text string) string {
	lines := strings.Split(decode([]byte(text)), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return joinLines(lines...)
}

// joinLines joins the texts that are not empty, one per line.
func joinLines(texts ...string) string {
	return strings.Join(slices.DeleteFunc(texts, isEmpty), "\n")
}

func isEmpty(s string) bool { return s == "" }

func (c *converter) html(n ast.Node) []notionapi.Block {
	text := visible(htmlText(c, n))
	if text == "" {
		return nil
	}
	return withText(paragraphBlock, []span{{text: text}}, nil)
}

// details makes a toggle of <details>: the summary is its text, and the
// Markdown blocks up to </details> are its children. It returns the last
// node it took in.
func (c *converter) details(open *ast.HTMLBlock) ([]notionapi.Block, ast.Node) {
	summary, inner, closed := splitHTML(htmlText(c, open))
	var children []notionapi.Block
	if inner != "" {
		children = append(children, withText(paragraphBlock, []span{{text: inner}}, nil)...)
	}
	last := ast.Node(open)
	for !closed && last.NextSibling() != nil {
		last = last.NextSibling()
		// A <details> inside is a toggle inside, and its </details> is
		// its own.
		if h, ok := last.(*ast.HTMLBlock); ok && !isDetailsOpen(c.src, h) && detailsClose.MatchString(htmlText(c, h)) {
			if rest := visible(htmlText(c, h)); rest != "" {
				children = append(children, withText(paragraphBlock, []span{{text: rest}}, nil)...)
			}
			closed = true
			continue
		}
		var blocks []notionapi.Block
		blocks, last = c.blockAt(last)
		children = append(children, blocks...)
	}
	newBlock := func(rt []notionapi.RichText, kids []notionapi.Block) notionapi.Block {
		return &notionapi.ToggleBlock{BasicBlock: basic(notionapi.BlockTypeToggle), Toggle: notionapi.Toggle{RichText: rt, Children: kids}}
	}
	return withText(newBlock, []span{{text: orText(summary, "Details")}}, children), last
}
