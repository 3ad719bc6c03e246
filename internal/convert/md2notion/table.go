package md2notion

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is GitHub Flavored Markdown with wideTables in place of goldmark's
// tables.
var gfm = []goldmark.Extender{extension.Linkify, wideTables{}, extension.Strikethrough, extension.TaskList}

// wideTables are GFM tables that keep the cells of a row wider than its
// header. GFM drops them, but they hold text the writer meant to show, so
// the table grows to the widest row instead.
type wideTables struct{}

func (wideTables) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithParagraphTransformers(util.Prioritized(wideTableTransformer{}, 200)),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
	)
}

// wideTableTransformer runs goldmark's table transformer, then gives each
// body row the cells past the header's width back from its source line.
// Inline parsing comes after paragraph transformers, so the added cells get
// their inline content like any other.
type wideTableTransformer struct{}

func (wideTableTransformer) Transform(p *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := p.Lines()
	if !hasDelimiterRow(reader.Source(), lines) {
		return
	}
	// The table transformer reslices the paragraph's lines; keep a copy.
	source := append([]text.Segment(nil), lines.Sliced(0, lines.Len())...)
	parent, next := p.Parent(), p.NextSibling()
	extension.NewTableParagraphTransformer().Transform(p, reader, pc)
	made := parent.LastChild()
	if next != nil {
		made = next.PreviousSibling()
	}
	table, ok := made.(*east.Table)
	if !ok {
		return
	}
	// The table takes the paragraph's last lines: the header, the
	// delimiter row, and one line per body row.
	body := source[len(source)-(table.ChildCount()-1):]
	src := reader.Source()
	row := table.FirstChild().NextSibling()
	for _, line := range body {
		cells := rowCells(src, line)
		for _, seg := range cells[min(row.ChildCount(), len(cells)):] {
			cell := east.NewTableCell()
			cell.Lines().Append(seg)
			row.AppendChild(row, cell)
		}
		row = row.NextSibling()
	}
}

// hasDelimiterRow reports whether a line after the first could be a
// table's delimiter row, as goldmark tells one: only spaces, pipes, colons
// and hyphens, and not hyphens alone. Most paragraphs have none, and skip
// the table transformer.
func hasDelimiterRow(src []byte, lines *text.Segments) bool {
	for i := 1; i < lines.Len(); i++ {
		seg := lines.At(i)
		delim, dashesOnly := true, true
		for _, b := range seg.Value(src) {
			if b != '-' {
				dashesOnly = false
			}
			if !(util.IsSpace(b) || b == '-' || b == '|' || b == ':') {
				delim = false
				break
			}
		}
		if delim && !dashesOnly {
			return true
		}
	}
	return false
}

// rowCells splits a table row's source line into its cells as GFM does: at
// every pipe not escaped with a backslash, without the outer pipes.
func rowCells(src []byte, line text.Segment) []text.Segment {
	line = line.TrimLeftSpace(src)
	line = line.TrimRightSpace(src)
	v := line.Value(src)
	pos, limit := 0, len(v)
	if limit > 0 && v[0] == '|' {
		pos++
	}
	if limit > 0 && v[limit-1] == '|' {
		limit--
	}
	var cells []text.Segment
	for pos < limit {
		end := pos
		for end < limit && (v[end] != '|' || (end > 0 && v[end-1] == '\\')) {
			end++
		}
		cell := text.NewSegment(line.Start+pos, line.Start+end)
		cell = cell.TrimLeftSpace(src)
		cells = append(cells, cell.TrimRightSpace(src))
		pos = end + 1
	}
	return cells
}
