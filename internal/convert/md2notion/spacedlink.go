package md2notion

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// spacedLinkTransformer makes links and images of what chat models write
// with spaces in a web address, [the file](https://example.com/my file.pdf).
// CommonMark leaves that as text, with only the address's first word
// linked; the writer meant a link. It runs after inline parsing, so the
// label keeps its emphasis, code and the rest.
type spacedLinkTransformer struct{}

func (spacedLinkTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	if !hasSpacedDestination(src) {
		return
	}
	var parents []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
				parents = append(parents, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, p := range parents {
		linkSpaced(src, p)
	}
}

// linkSpaced turns each [label](address with spaces) among parent's
// children into a link, or an image when a ! leads it.
func linkSpaced(src []byte, parent ast.Node) {
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			if link := linkIn(src, parent, t); link != nil {
				// The text after the link follows it, and may hold another.
				c = link
			}
		}
	}
}

// linkIn makes a link of the first [label](address with spaces) whose ]
// is in t, and returns it, or nil when there is none.
func linkIn(src []byte, parent ast.Node, t *ast.Text) ast.Node {
	from := t.Segment.Start
	for {
		i := bytes.Index(src[from:t.Segment.Stop], []byte("]("))
		if i < 0 {
			return nil
		}
		closing := from + i
		from = closing + 1
		dest, end, ok := spacedDestination(src, closing+2)
		if !ok {
			continue
		}
		// A label must show something: the address is the only text
		// otherwise, and it stays as text.
		open, at, ok := openingBracket(src, t, closing)
		if !ok || (open == t && at+1 == closing) || !destinationIsText(src, t, end) {
			continue
		}
		return rebuild(src, parent, open, at, t, closing, end, dest)
	}
}

// hasSpacedDestination reports whether src holds ]( and a web address
// with a space anywhere, sparing most documents the walk.
func hasSpacedDestination(src []byte) bool {
	for from := 0; ; {
		i := bytes.Index(src[from:], []byte("]("))
		if i < 0 {
			return false
		}
		from += i + 2
		if _, _, ok := spacedDestination(src, from); ok {
			return true
		}
	}
}

// spacedDestination reads a web address from start up to the ) that ends
// it on the same line. It reports false unless the address holds a space,
// as one without would already be a link.
func spacedDestination(src []byte, start int) (dest []byte, end int, ok bool) {
	rest := src[start:]
	if !hasPrefixFold(rest, "http://") && !hasPrefixFold(rest, "https://") {
		return nil, 0, false
	}
	for i, b := range rest {
		switch b {
		case ')':
			dest = bytes.TrimRight(rest[:i], " ")
			return dest, start + i + 1, bytes.IndexByte(dest, ' ') >= 0
		case '\n', '\r', '(', '<', '>', '"', '\t':
			return nil, 0, false
		}
	}
	return nil, 0, false
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

// openingBracket finds the [ that opens the label closed at closing, in t
// or in a text sibling before it. A ] on the way means brackets nest, which
// is left as it is.
func openingBracket(src []byte, t *ast.Text, closing int) (*ast.Text, int, bool) {
	stop := closing
	for n := ast.Node(t); n != nil; n = n.PreviousSibling() {
		o, ok := n.(*ast.Text)
		if !ok {
			continue
		}
		if n != t {
			stop = o.Segment.Stop
		}
		v := src[o.Segment.Start:stop]
		i := bytes.LastIndexAny(v, "[]")
		if i < 0 {
			continue
		}
		at := o.Segment.Start + i
		if v[i] == ']' || (at > 0 && src[at-1] == '\\') {
			return nil, 0, false
		}
		return o, at, true
	}
	return nil, 0, false
}

// destinationIsText reports whether the nodes from t up to end, which the
// address takes, are only text and the autolinks found in it, so dropping
// them loses nothing else.
func destinationIsText(src []byte, t *ast.Text, end int) bool {
	for n := t.NextSibling(); n != nil && startOf(n) < end; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Text:
		case *ast.AutoLink:
			if startOf(n)+len(n.Label(src)) > end {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// startOf is where n starts in the source. A text node made here knows
// only its segment.
func startOf(n ast.Node) int {
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	return n.Pos()
}

// rebuild replaces the source from the [ at open (at) to end, the ) after
// the address, with a link or image whose children are the label's nodes,
// and returns it.
func rebuild(src []byte, parent ast.Node, open *ast.Text, at int, t *ast.Text, closing, end int, dest []byte) ast.Node {
	start := at
	var link ast.Node
	if at > open.Segment.Start && src[at-1] == '!' {
		start = at - 1
		img := ast.NewImage(ast.NewLink())
		img.Destination = dest
		link = img
	} else {
		l := ast.NewLink()
		l.Destination = dest
		link = l
	}
	// The text after the ) takes t's line break.
	after := ast.NewTextSegment(text.NewSegment(min(end, t.Segment.Stop), t.Segment.Stop))
	after.SetSoftLineBreak(t.SoftLineBreak())
	after.SetHardLineBreak(t.HardLineBreak())
	// The label: the rest of open, the nodes between, and t up to the ].
	if open == t {
		open.SetSoftLineBreak(false)
		open.SetHardLineBreak(false)
		link.AppendChild(link, ast.NewTextSegment(text.NewSegment(at+1, closing)))
	} else {
		first := ast.NewTextSegment(text.NewSegment(at+1, open.Segment.Stop))
		first.SetSoftLineBreak(open.SoftLineBreak())
		first.SetHardLineBreak(open.HardLineBreak())
		open.SetSoftLineBreak(false)
		open.SetHardLineBreak(false)
		link.AppendChild(link, first)
		for n := open.NextSibling(); n != t; {
			next := n.NextSibling()
			link.AppendChild(link, n)
			n = next
		}
		link.AppendChild(link, ast.NewTextSegment(text.NewSegment(t.Segment.Start, closing)))
	}
	// What the address took after t is dropped, keeping line breaks.
	for n := t.NextSibling(); n != nil && startOf(n) < end; {
		next := n.NextSibling()
		if nt, ok := n.(*ast.Text); ok && nt.Segment.Stop > end {
			nt.Segment = nt.Segment.WithStart(end)
		} else if ok && (nt.SoftLineBreak() || nt.HardLineBreak()) {
			nt.Segment = nt.Segment.WithStart(nt.Segment.Stop)
		} else {
			parent.RemoveChild(parent, n)
		}
		n = next
	}
	if open != t {
		parent.RemoveChild(parent, t)
	}
	open.Segment = open.Segment.WithStop(start)
	parent.InsertAfter(parent, open, link)
	parent.InsertAfter(parent, link, after)
	if open.Segment.IsEmpty() {
		parent.RemoveChild(parent, open)
	}
	return link
}
