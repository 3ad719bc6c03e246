package md2notion

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// mathSource is the source of math that may span lines, without the
// markers of the quotes, lists and footnotes it sits in. The passthrough
// extension keeps math as one stretch of the source, from its opening
// delimiter to its closing one, so every line after the first still starts
// with those markers: "> " in a quote, an item's indentation in a list.
// Indentation past the markers is the TeX's own and is kept.
func mathSource(src []byte, n ast.Node, seg text.Segment) string {
	raw := seg.Value(src)
	if bytes.IndexByte(raw, '\n') < 0 {
		return string(raw)
	}
	var containers []ast.Node
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.(type) {
		case *ast.Blockquote, *alertNode, *ast.ListItem, *east.Footnote:
			containers = append(containers, p)
		}
	}
	if len(containers) == 0 {
		return string(raw)
	}
	var b strings.Builder
	first := true
	for line := range bytes.Lines(raw) {
		if !first {
			line = line[markersWidth(line, containers):]
		}
		first = false
		b.Write(line)
	}
	return b.String()
}

// markersWidth is how many bytes at the start of line are the markers of
// containers, which run from the innermost to the outermost, as CommonMark
// reads a line that continues them. A lazy line, one that leaves out a
// quote's >, ends the markers there.
func markersWidth(line []byte, containers []ast.Node) int {
	pos := 0
	for i := len(containers) - 1; i >= 0; i-- {
		switch c := containers[i].(type) {
		case *ast.ListItem:
			pos = skipIndent(line, pos, c.Offset)
		case *east.Footnote:
			pos = skipIndent(line, pos, 4)
		default:
			at := skipIndent(line, pos, 3)
			if at >= len(line) || line[at] != '>' {
				return pos
			}
			pos = at + 1
			if pos < len(line) && (line[pos] == ' ' || line[pos] == '\t') {
				pos++
			}
		}
	}
	return pos
}

// skipIndent skips up to width columns of spaces and tabs from pos.
func skipIndent(line []byte, pos, width int) int {
	for col := 0; pos < len(line) && col < width; pos++ {
		switch line[pos] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return pos
		}
	}
	return pos
}
