package md2notion

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/gohugoio/hugo-goldmark-extensions/passthrough"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// alertNode is a GFM alert: a blockquote whose first line is [!NOTE],
// [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION], in any letter case.
type alertNode struct {
	ast.BaseBlock
	// alertType is the alert's type in upper case, such as "NOTE".
	alertType string
}

var kindAlert = ast.NewNodeKind("Alert")

func (a *alertNode) Kind() ast.NodeKind { return kindAlert }

func (a *alertNode) Dump(src []byte, level int) {
	ast.DumpHelper(a, src, level, map[string]string{"AlertType": a.alertType}, nil)
}

var alertMarker = regexp.MustCompile(`(?i)^\s*\[!(note|tip|important|warning|caution)\][ \t]*`)

// alertTransformer turns alert blockquotes into alert nodes before the walk,
// dropping the marker and keeping everything after it on the first line.
type alertTransformer struct{}

func (alertTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	if !bytes.Contains(src, []byte("[!")) {
		return
	}
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if q, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, q)
		}
		// Alerts sit in blocks, so inline content need not be walked.
		if n.Type() == ast.TypeBlock && n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, q := range quotes {
		p, ok := q.FirstChild().(*ast.Paragraph)
		if !ok || p.Lines().Len() == 0 {
			continue
		}
		first := p.Lines().At(0)
		m := alertMarker.FindSubmatchIndex(first.Value(src))
		if m == nil {
			continue
		}
		alert := &alertNode{alertType: strings.ToUpper(string(first.Value(src)[m[2]:m[3]]))}
		trimInlinePrefix(p, first.Start+m[1])
		if !p.HasChildren() {
			q.RemoveChild(q, p)
		}
		for c := q.FirstChild(); c != nil; {
			next := c.NextSibling()
			alert.AppendChild(alert, c)
			c = next
		}
		q.Parent().ReplaceChild(q.Parent(), q, alert)
	}
}

// trimInlinePrefix drops the text of p that lies before the source offset
// end (the marker), with the line break that ends the marker's line when
// nothing else is on it.
func trimInlinePrefix(p *ast.Paragraph, end int) {
	for c := p.FirstChild(); c != nil; {
		t, ok := c.(*ast.Text)
		if !ok || t.Segment.Start >= end {
			return
		}
		next := c.NextSibling()
		if t.Segment.Stop > end {
			t.Segment = t.Segment.WithStart(end)
			return
		}
		p.RemoveChild(p, c)
		c = next
	}
}

// onOwnLines reports display math whose delimiters stand on lines of their
// own, as chat models write it.
func onOwnLines(tex string) bool {
	open, body, ok := strings.Cut(tex, "\n")
	i := strings.LastIndexByte(body, '\n')
	return ok && i >= 0 && strings.TrimSpace(open) == "" && strings.TrimSpace(body[i:]) == "" && strings.TrimSpace(body) != ""
}

// notMathTransformer runs before the passthrough extension lifts display
// math out of paragraphs, and turns back into text what only looks like
// math: prices such as "$5 and $10" (as in Pandoc, an opening $ must be
// followed and a closing one preceded by a non-space, and the closing one
// not followed by a digit), and escaped brackets such as \[Yes/No\], which
// hold no TeX.
type notMathTransformer struct{}

func (notMathTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var all, texts []*passthrough.PassthroughInline
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := n.(*passthrough.PassthroughInline); ok && entering {
			all = append(all, p)
		}
		return ast.WalkContinue, nil
	})
	for _, p := range all {
		if !extendEscapedClose(src, p) || !isMath(src, p) {
			texts = append(texts, p)
		}
	}
	for _, p := range texts {
		s := ast.NewString([]byte(decode(p.Segment.Value(src))))
		p.Parent().ReplaceChild(p.Parent(), p, s)
	}
}

// extendEscapedClose moves the end of a $…$ whose closing $ is escaped, as
// in $\$100$, to the next unescaped $ in the text after it: the passthrough
// parser stops at the first $ it meets. It reports false when there is no
// such $, and so no equation.
func extendEscapedClose(src []byte, p *passthrough.PassthroughInline) bool {
	if p.Delimiters.Open != "$" || !escapedAt(src, p.Segment.Stop-1) {
		return true
	}
	var passed []*ast.Text
	for n := p.NextSibling(); n != nil; n = n.NextSibling() {
		next, ok := n.(*ast.Text)
		if !ok {
			return false
		}
		v := next.Segment.Value(src)
		i := unescapedDollar(src, next.Segment.Start, v)
		if i < 0 {
			if next.SoftLineBreak() || next.HardLineBreak() {
				return false
			}
			passed = append(passed, next)
			continue
		}
		p.Segment = p.Segment.WithStop(next.Segment.Start + i + 1)
		for _, t := range passed {
			p.Parent().RemoveChild(p.Parent(), t)
		}
		if i+1 == len(v) {
			p.Parent().RemoveChild(p.Parent(), next)
		} else {
			next.Segment = next.Segment.WithStart(next.Segment.Start + i + 1)
		}
		return true
	}
	return false
}

// escapedAt reports a character preceded by an odd run of backslashes.
func escapedAt(src []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && src[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// unescapedDollar is the index in v (which starts at start in src) of its
// first $ not escaped by a backslash, or -1.
func unescapedDollar(src []byte, start int, v []byte) int {
	for i, b := range v {
		if b == '$' && !escapedAt(src, start+i) {
			return i
		}
	}
	return -1
}

func isMath(src []byte, n *passthrough.PassthroughInline) bool {
	d := n.Delimiters
	raw := string(n.Segment.Value(src))
	tex := strings.TrimSuffix(strings.TrimPrefix(raw, d.Open), d.Close)
	switch d.Open {
	case "$":
		if tex == "" || strings.TrimSpace(tex) != tex {
			return false
		}
		if next, ok := n.NextSibling().(*ast.Text); ok {
			if v := next.Segment.Value(src); len(v) > 0 && v[0] >= '0' && v[0] <= '9' {
				return false
			}
		}
		return true
	case `\[`:
		return onOwnLines(tex) || looksLikeTeX(tex)
	case `\(`:
		return looksLikeTeX(tex)
	}
	return strings.TrimSpace(tex) != ""
}
