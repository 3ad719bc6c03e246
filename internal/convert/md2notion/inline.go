package md2notion

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

// image is an image Notion can show: url is a valid external address, and
// link is where a link around the image pointed.
type image struct {
	url, alt, link string
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
	buf     []byte
}

type spanStyle struct {
	bold, italic, strike, code bool
	link                       string
}

// add appends text in the current style.
func (in *inliner) add(text string) {
	if text != "" {
		in.style()
		in.buf = append(in.buf, text...)
	}
}

// addBytes is add for text straight from the source, saving a string copy.
func (in *inliner) addBytes(text []byte) {
	if len(text) != 0 {
		in.style()
		in.buf = append(in.buf, text...)
	}
}

// style gives the open span the current style, closing the one before when
// its style was another.
func (in *inliner) style() {
	s := span{link: in.ann.link}
	s.ann.Bold, s.ann.Italic, s.ann.Strikethrough, s.ann.Code = in.ann.bold, in.ann.italic, in.ann.strike, in.ann.code
	if in.hasOpen && in.open.sameStyle(s) {
		return
	}
	in.flush()
	in.open, in.hasOpen = s, true
}

// equation adds an inline equation, a rich-text item of its own.
func (in *inliner) equation(tex string) {
	in.flush()
	in.open, in.hasOpen = span{equation: true}, true
	in.buf = append(in.buf, tex...)
	in.flush()
}

// flush closes the span being built into the current piece.
func (in *inliner) flush() {
	if !in.hasOpen {
		return
	}
	in.open.text = string(in.buf)
	in.buf = in.buf[:0]
	in.hasOpen = false
	n := len(in.pieces)
	if n == 0 || in.pieces[n-1].image != nil {
		// Most pieces hold a few spans: room for them saves regrowing.
		in.pieces = append(in.pieces, piece{spans: make([]span, 0, 4)})
		n++
	}
	in.pieces[n-1].spans = appendSpan(in.pieces[n-1].spans, in.open)
}

// inlines collects the inline content under n. The converter lends the
// inliner its scratch buffer, which span texts are copied out of.
func (c *converter) inlines(n ast.Node) []piece {
	in := inliner{src: c.src, buf: c.scratch[:0]}
	in.children(n)
	in.flush()
	c.scratch = in.buf
	return in.pieces
}

func (in *inliner) children(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		in.node(c)
	}
}

// codeLines turns a code span's line endings into spaces.
var codeLines = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

var brTag = regexp.MustCompile(`(?i)^<br\s*/?>$`)

func (in *inliner) node(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		in.addBytes(unescape(n.Segment.Value(in.src)))
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
		// A code span's line endings are spaces, as CommonMark has them: a
		// line of a paragraph can hold no line break, and the next line
		// would be read as the paragraph's, not the code's.
		in.add(codeLines.Replace(b.String()))
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
		in.ann.link = linkURL(destination(n.Destination))
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
		alt, dest := plainText(in.src, n), destination(n.Destination)
		url := imageURL(dest)
		if url == "" {
			// Notion cannot show it, so it stays in the text where it was.
			in.add(imageText(alt, dest))
			return
		}
		in.flush()
		in.pieces = append(in.pieces, piece{image: &image{url: url, alt: alt, link: in.ann.link}})
	case *ast.RawHTML:
		var raw bytes.Buffer
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			raw.Write(seg.Value(in.src))
		}
		// A tag shows nothing; its text around it is kept by the
		// neighbouring nodes. A line break tag is a line break, and a
		// CDATA section is the text it holds.
		r := bytes.TrimSpace(raw.Bytes())
		if brTag.Match(r) {
			in.add("\n")
		} else if cdata, ok := bytes.CutPrefix(r, []byte("<![CDATA[")); ok {
			in.add(string(bytes.TrimSuffix(cdata, []byte("]]>"))))
		}
	case *passthrough.PassthroughInline:
		tex, ok := math(in.src, n)
		if !ok {
			in.add(decode(n.Segment.Value(in.src)))
			return
		}
		in.equation(tex)
	case *east.FootnoteLink:
		in.add(fmt.Sprintf("[%d]", n.Index))
	case *east.TaskCheckBox, *east.FootnoteBacklink:
	default:
		in.children(n)
	}
}

// math returns the TeX inside an inline passthrough. Passthroughs that
// are not math were turned back into text by notMathTransformer. In a
// table cell, \| is a | as it is everywhere in a cell: GFM reads it so
// before the cell's content, and it is how a | is written in a cell.
func math(src []byte, n *passthrough.PassthroughInline) (string, bool) {
	d := n.Delimiters
	tex := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(mathSource(src, n, n.Segment), d.Open), d.Close))
	if inTableCell(n) {
		tex = strings.ReplaceAll(tex, `\|`, "|")
	}
	return tex, tex != ""
}

func inTableCell(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*east.TableCell); ok {
			return true
		}
	}
	return false
}

// looksLikeTeX tells math from escaped brackets and parentheses, which
// Markdown writes the same way: \[Yes/No\] is a bracketed Yes/No and
// \[\\\] a bracketed backslash, while \[x^2\] and \[1+1\] are math. Escaped
// punctuation is text, so it is left out of the judgement.
func looksLikeTeX(s string) bool {
	s = escapedPunct.ReplaceAllString(s, "")
	if strings.ContainsAny(s, `\^_={}<>|`) {
		return true
	}
	return strings.ContainsAny(s, "0123456789") && strings.ContainsAny(s, "+-*/")
}

// escapedPunct is a backslash escape of ASCII punctuation.
var escapedPunct = regexp.MustCompile(`\\[!-/:-@\[-` + "`" + `{-~]`)

// decode turns source text into what a reader sees: backslash escapes and
// entity references resolved.
func decode(v []byte) string {
	return string(unescape(v))
}

// unescape is decode without the string copy: it returns v itself when v
// holds nothing to resolve. An escaped & starts no entity reference:
// \&ouml; reads &ouml;.
func unescape(v []byte) []byte {
	amp, esc := bytes.IndexByte(v, '&') >= 0, bytes.IndexByte(v, '\\') >= 0
	resolve := func(b []byte) []byte { return util.ResolveNumericReferences(util.ResolveEntityNames(b)) }
	switch {
	case !amp && !esc:
		return v
	case !esc:
		return resolve(v)
	case !amp:
		return util.UnescapePunctuations(v)
	}
	out := make([]byte, 0, len(v))
	start := 0
	for i := 0; i+1 < len(v); i++ {
		if v[i] == '\\' && util.IsPunct(v[i+1]) {
			out = append(append(out, resolve(v[start:i])...), v[i+1])
			i++
			start = i + 1
		}
	}
	return append(out, resolve(v[start:])...)
}

// destination is a link's or image's address with its backslash escapes
// resolved, as CommonMark reads them: goldmark keeps the source's.
func destination(raw []byte) string {
	return string(util.UnescapePunctuations(raw))
}

// imageText is what a reader keeps of an image Notion cannot show: its alt
// text and its address.
func imageText(alt, dest string) string {
	switch {
	case strings.TrimSpace(dest) == "":
		return alt
	case strings.TrimSpace(alt) == "":
		return dest
	}
	return alt + " (" + dest + ")"
}

// plainText is the visible text under n, such as an image's alt text.
func plainText(src []byte, n ast.Node) string {
	var b strings.Builder
	for _, p := range (&converter{src: src}).inlines(n) {
		for _, s := range p.spans {
			b.WriteString(s.text)
		}
		if p.image != nil {
			b.WriteString(p.image.alt)
		}
	}
	return b.String()
}
