// Package md2notion converts Markdown, as people and chat models write it,
// into a tree of Notion blocks that Notion accepts as it is: every block
// within Notion's limits, and no text dropped.
//
// Choices where Notion has no exact match:
//   - Headings 4 to 6 become heading_4, Notion's smallest heading, as
//     Notion's own Markdown has them. An empty heading stays, empty.
//   - A numbered list that starts at another number than 1 stays a numbered
//     list; Notion's API (2022-06-28) has no start number, so Notion numbers
//     it from 1. Writing the number into the text would show it twice.
//   - A GFM alert (> [!NOTE] and friends) becomes a callout with its emoji
//     and colour.
//   - Footnote marks stay in the text as [1], and the notes follow under a
//     "Footnotes" heading at the end, notes that nothing refers to included.
//   - <details><summary> is a toggle and <br> a line break; any other HTML
//     keeps only its visible text.
//   - A table is as wide as its widest row: cells past the header's width,
//     which GFM drops, are kept, and short rows are padded.
//   - An image becomes an image block in its place, splitting the text
//     around it; a link around it carries on in its caption. An image Notion
//     cannot show (relative, data URI, not http(s)) stays in the text as its
//     alt text and address. A link Notion cannot store keeps its text and
//     drops the link.
//   - An equation over Notion's length limit becomes a LaTeX code block.
//   - A ```math fence is display math, as GitHub shows it.
//   - \[…\] is display math when it holds TeX or its delimiters stand on
//     lines of their own, as chat models write it; otherwise, as in
//     \[Yes/No\], it is escaped brackets. Escaped punctuation is text.
//   - In $…$, an escaped \$ does not close the equation: $\$100$ is the
//     equation \$100.
//   - In a table cell, \| in math is |, as GFM reads \| everywhere in a
//     cell: that is how a | is written there without ending the cell.
//   - A code span of spaces alone is kept as code; its line endings are
//     spaces, as in CommonMark.
//   - A line that opens more than MaxLineNesting quotes and list items
//     keeps its further markers as text, so that no depth of nesting
//     overflows the browser's stack.
//   - A link or image written with spaces in its web address, as chat
//     models do and CommonMark does not allow, is a link or image with the
//     spaces escaped.
package md2notion

import (
	"bytes"
	"sync"
	"unicode/utf8"

	"github.com/gohugoio/hugo-goldmark-extensions/passthrough"
	"github.com/jomei/notionapi"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown is safe for concurrent use: goldmark makes its parse state per
// call. It is built on the first conversion rather than when the engine
// starts, which every millisecond of start-up delays.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(append(gfm, extension.Footnote, mathPassthrough())...),
		goldmark.WithParserOptions(parser.WithASTTransformers(
			util.Prioritized(notMathTransformer{}, -100),
			util.Prioritized(alertTransformer{}, 1000),
			util.Prioritized(keepFootnotesTransformer{}, 900),
			util.Prioritized(spacedLinkTransformer{}, 100),
		)),
	)
})

// mathPassthrough keeps TeX between the delimiters chat models write.
func mathPassthrough() goldmark.Extender {
	return passthrough.New(passthrough.Config{
		InlineDelimiters: []passthrough.Delimiters{{Open: "$", Close: "$"}, {Open: `\(`, Close: `\)`}},
		BlockDelimiters:  []passthrough.Delimiters{{Open: "$$", Close: "$$"}, {Open: `\[`, Close: `\]`}},
	})
}

// Convert turns Markdown into Notion blocks. An empty or blank document
// gives an empty, non-nil slice. Bytes that are not UTF-8, which no JSON
// request can carry, become U+FFFD.
func Convert(src []byte) []notionapi.Block {
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	src = capNesting(src)
	doc := markdown().Parser().Parse(text.NewReader(src))
	c := &converter{src: src}
	out := c.blocks(doc)
	if out == nil {
		out = []notionapi.Block{}
	}
	return out
}

// converter holds one document's conversion; it is made per call.
type converter struct {
	src []byte
	// scratch is where inline text gathers before it becomes a string.
	scratch []byte
}

type convertFunc func(c *converter, n ast.Node) []notionapi.Block

// converters is the table of block converters by node kind, filled in init
// to let converters recurse through it.
var converters map[ast.NodeKind]convertFunc

// blocks converts the children of n, in order.
func (c *converter) blocks(n ast.Node) []notionapi.Block {
	return c.blocksFrom(n.FirstChild())
}

// blocksFrom converts n and the siblings after it, in order.
func (c *converter) blocksFrom(n ast.Node) []notionapi.Block {
	var out []notionapi.Block
	for ; n != nil; n = n.NextSibling() {
		var blocks []notionapi.Block
		blocks, n = c.blockAt(n)
		out = append(out, blocks...)
	}
	return out
}

// blockAt converts n and returns the last node it took in: a <details>
// takes in the blocks up to its </details>, which are siblings in the AST.
func (c *converter) blockAt(n ast.Node) ([]notionapi.Block, ast.Node) {
	if html, ok := n.(*ast.HTMLBlock); ok && isDetailsOpen(c.src, html) {
		return c.details(html)
	}
	return c.block(n), n
}

func (c *converter) block(n ast.Node) []notionapi.Block {
	if f, ok := converters[n.Kind()]; ok {
		return f(c, n)
	}
	// A block kind without its own converter keeps its content.
	if n.HasChildren() {
		if n.FirstChild().Type() == ast.TypeInline {
			return c.paragraph(n)
		}
		return c.blocks(n)
	}
	return nil
}
