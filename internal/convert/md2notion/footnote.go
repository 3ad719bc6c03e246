package md2notion

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// keepFootnotesTransformer numbers the footnotes that nothing refers to,
// which goldmark's footnote transformer would otherwise drop with their
// text. It runs before that transformer, while the footnote list still
// stands where the first note was written.
type keepFootnotesTransformer struct{}

func (keepFootnotesTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	if !bytes.Contains(reader.Source(), []byte("[^")) {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		list, ok := n.(*east.FootnoteList)
		if !ok {
			if entering && n.Type() != ast.TypeInline {
				return ast.WalkContinue, nil
			}
			return ast.WalkSkipChildren, nil
		}
		for c := list.FirstChild(); c != nil; c = c.NextSibling() {
			if fn, ok := c.(*east.Footnote); ok && fn.Index < 0 {
				list.Count++
				fn.Index = list.Count
			}
		}
		return ast.WalkStop, nil
	})
}
