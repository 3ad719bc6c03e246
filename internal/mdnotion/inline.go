package mdnotion

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/gohugoio/hugo-goldmark-extensions/passthrough"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// piece is a stretch of inline content: text spans, or an image that has to
// be lifted out into its own block.
type piece struct {
	spans []span
	image *image
}

type image struct {
	dest, alt string
}

// inliner gathers the inline content of one block. Its state (the current
// annotations and link, and the text of the span being built) lives in the
// call, not in the converter.
type inliner struct {
	src    []byte
	ann    spanStyle
	pieces []piece
	// open is the span being built; its text gathers in buf until the style
	// changes, so merging runs costs no string copies.
	open    span
	hasOpen bool
	buf     strings.Builder
}

type spanStyle struct {
	bold, italic, strike, code bool
	link                       string
}

func (in *inliner) add(text string) {
	if text == "" {
		return
	}
	s := span{text: text, link: in.ann.link}
	s.ann.Bold, s.ann.Italic, s.ann.Strikethrough, s.ann.Code = in.ann.bold, in.ann.italic, in.ann.strike, in.ann.code
	in.push(s)
}

func (in *inliner) push(s span) {
	if in.hasOpen && in.open.sameStyle(s) {
		in.buf.WriteString(s.text)
		return
	}
	in.flush()
	in.open, in.hasOpen = s, true
	in.buf.WriteString(s.text)
}

// flush closes the span being built into the current piece.
func (in *inliner) flush() {
	if !in.hasOpen {
		return
	}
	in.open.text = in.buf.String()
	in.buf.Reset()
	in.hasOpen = false
	n := len(in.pieces)
	if n == 0 || in.pieces[n-1].image != nil {
		in.pieces = append(in.pieces, piece{})
		n++
	}
	in.pieces[n-1].spans = appendSpan(in.pieces[n-1].spans, in.open)
}

// inlines collects the inline content under n.
func inlines(src []byte, n ast.Node) []piece {
	in := &inliner{src: src}
	in.children(n)
	in.flush()
	return in.pieces
}

func (in *inliner) children(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		in.node(c)
	}
}

var brTag = regexp.MustCompile(`(?i)^<br\s*/?>$`)

func (in *inliner) node(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		in.add(decode(n.Segment.Value(in.src)))
		switch {
		case n.HardLineBreak():
			in.add("\n")
		case n.SoftLineBreak():
			in.add(" ")
		}
	case *ast.String:
		in.add(string(n.Value))
	case *ast.CodeSpan:
		var b strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				b.Write(t.Segment.Value(in.src))
			} else if s, ok := c.(*ast.String); ok {
				b.Write(s.Value)
			}
		}
		saved := in.ann
		in.ann.code = true
		in.add(b.String())
		in.ann = saved
	case *ast.Emphasis:
		saved := in.ann
		if n.Level >= 2 {
			in.ann.bold = true
		} else {
			in.ann.italic = true
		}
		in.children(n)
		in.ann = saved
	case *east.Strikethrough:
		saved := in.ann
		in.ann.strike = true
		in.children(n)
		in.ann = saved
	case *ast.Link:
		saved := in.ann
		in.ann.link = linkURL(string(n.Destination))
		in.children(n)
		in.ann = saved
	case *ast.AutoLink:
		dest := string(n.URL(in.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
			dest = "mailto:" + dest
		}
		saved := in.ann
		in.ann.link = linkURL(dest)
		in.add(string(n.Label(in.src)))
		in.ann = saved
	case *ast.Image:
		in.flush()
		in.pieces = append(in.pieces, piece{image: &image{dest: string(n.Destination), alt: plainText(in.src, n)}})
	case *ast.RawHTML:
		var raw bytes.Buffer
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			raw.Write(seg.Value(in.src))
		}
		// A tag shows nothing; its text around it is kept by the
		// neighbouring nodes. A line break tag is a line break.
		if brTag.Match(bytes.TrimSpace(raw.Bytes())) {
			in.add("\n")
		}
	case *passthrough.PassthroughInline:
		tex, ok := math(in.src, n)
		if !ok {
			in.add(decode(n.Segment.Value(in.src)))
			return
		}
		in.flush()
		in.push(span{text: tex, equation: true})
		in.flush()
	case *east.FootnoteLink:
		in.add(fmt.Sprintf("[%d]", n.Index))
	case *east.TaskCheckBox, *east.FootnoteBacklink:
	default:
		in.children(n)
	}
}

// math returns the TeX inside an inline passthrough. Passthroughs that
// are not math were turned back into text by notMathTransformer.
func math(src []byte, n *passthrough.PassthroughInline) (string, bool) {
	d := n.Delimiters
	tex := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(string(n.Segment.Value(src)), d.Open), d.Close))
	return tex, tex != ""
}

// looksLikeTeX tells display math from escaped brackets and parentheses,
// which Markdown writes the same way: \[x\] is a bracketed x, while
// \[x^2\] is math.
func looksLikeTeX(s string) bool {
	return strings.ContainsAny(s, `\^_={}+-*/<>|0123456789`)
}

// decode turns source text into what a reader sees: backslash escapes and
// entity references resolved.
func decode(v []byte) string {
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\\') < 0 {
		return string(v)
	}
	return string(util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v))))
}

// plainText is the visible text under n, such as an image's alt text.
func plainText(src []byte, n ast.Node) string {
	var b strings.Builder
	for _, p := range inlines(src, n) {
		for _, s := range p.spans {
			b.WriteString(s.text)
		}
		if p.image != nil {
			b.WriteString(p.image.alt)
		}
	}
	return b.String()
}
