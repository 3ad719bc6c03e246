package job

import (
	"regexp"
	"strings"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/notion/limits"
)

// settler cuts a growing Markdown text into top-level blocks that no later
// text can change, converting each piece once, so the cost of a token does
// not grow with the answer. A piece ends where a new top-level block starts
// at column 0: after a blank line, after a heading line, after a closed
// fence, at a heading, or at the next item of a top-level list. Inside a
// fence, a display-math block, a <details> element or an HTML block that
// runs past blank lines (a comment, <pre>, <script>) nothing is cut. A
// piece that later text could still change (a footnote mark, or a bracket
// that a reference definition may turn into a link) stops all settling:
// it and everything after it wait for the whole answer, so no written
// block ever has to be taken back.
type settler struct {
	// scanned is where the first line not yet looked at starts, settled
	// where the unsettled text starts.
	scanned, settled int
	// settledUnits is settled counted in UTF-16 code units, as JavaScript
	// counts the same text.
	settledUnits int
	// fence is the marker of the open code fence and fenceIndent its
	// line's indentation, math the closing line of the open display-math
	// block, details how many <details> are open.
	fence       string
	fenceIndent int
	math        string
	details     int
	// html is what ends the open HTML block that a blank line does not
	// end (a comment, <pre>, <script>, <style>, <textarea>, ...).
	html string
	// start is the first line of the unsettled block, prev the line before
	// the one being looked at.
	start, prev string
	// closed is set when the last line closed a fence that opened the
	// block.
	closed bool
	// list is set once the block has a list item, which may go on after
	// a blank line.
	list bool
	// held is set once nothing more can settle before the answer ends.
	held bool
}

var (
	fenceLine   = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	atxHeading  = regexp.MustCompile(`^#{1,6}(\s|$)`)
	listMarker  = regexp.MustCompile(`^([-*+]|\d{1,9}[.)])(\s|$)`)
	taskMarker  = regexp.MustCompile(`^\s*(?:[-*+]|\d{1,9}[.)])\s+\[[ xX]\]`)
	alertMarker = regexp.MustCompile(`^\s*>\s*\[![A-Za-z]+\]`)
	codeSpan    = regexp.MustCompile("`+[^`]*`+")
	inlineLink  = regexp.MustCompile(`\]\((<[^<>\n]*>|[^()\s]*)(\s+("[^"\n]*"|'[^'\n]*'))?\)`)
)

// feed looks at the complete lines md gained since the last call and
// returns the blocks that settled, in order.
func (s *settler) feed(md string) []notionapi.Block {
	var out []notionapi.Block
	for !s.held {
		end := strings.IndexByte(md[s.scanned:], '\n')
		if end < 0 {
			break
		}
		lineStart := s.scanned
		line := md[lineStart : lineStart+end]
		s.scanned += end + 1
		if s.cutBefore(line) {
			out = s.settle(md, lineStart, out)
		}
		s.track(line)
		if s.cutAfter(line) {
			out = s.settle(md, s.scanned, out)
		}
	}
	return out
}

// cutBefore reports whether a top-level block can end before line.
func (s *settler) cutBefore(line string) bool {
	if s.fence != "" || s.math != "" || s.html != "" || s.details > 0 || s.start == "" {
		return false
	}
	if line == "" || line[0] == ' ' || line[0] == '\t' {
		return false
	}
	switch {
	case strings.TrimSpace(s.prev) == "":
		return true
	case atxHeading.MatchString(s.prev), atxHeading.MatchString(line):
		return true
	case fenceOf(s.prev) != "" && fenceOf(s.start) != "":
		// The previous line closed a fence that opened the block.
		return true
	}
	// The next item of a list, unless the line before was a paragraph's
	// lazy continuation, which an item may not interrupt.
	a, b := listMarker.FindStringSubmatch(s.start), listMarker.FindStringSubmatch(line)
	lazy := s.prev[0] != ' ' && s.prev[0] != '\t' && !listMarker.MatchString(s.prev)
	return a != nil && b != nil && !lazy && strings.TrimSpace(line) != strings.TrimSpace(b[0]) && sameListKind(a[1], b[1])
}

// cutAfter reports whether the block ends with line, which it does as
// soon as no next line could change it: a heading line, the fence or
// display math that opened the block closing, or a blank line after
// anything but a list, whose items may go on after one.
func (s *settler) cutAfter(line string) bool {
	if s.fence != "" || s.math != "" || s.html != "" || s.details > 0 || s.start == "" || s.start[0] == ' ' || s.start[0] == '\t' {
		return false
	}
	switch {
	case s.closed:
		return true
	case line == s.start && atxHeading.MatchString(line):
		return true
	case strings.TrimSpace(line) == "":
		return !s.list
	}
	return false
}

// sameListKind reports whether two markers continue one list: the same
// bullet, or numbers with the same delimiter.
func sameListKind(a, b string) bool {
	if a[len(a)-1] == '.' || a[len(a)-1] == ')' {
		return len(b) > 1 && a[len(a)-1] == b[len(b)-1]
	}
	return a == b
}

// track notes what line opens or closes.
func (s *settler) track(line string) {
	defer func() { s.prev = line }()
	trimmed := strings.TrimSpace(line)
	if s.start == "" && trimmed != "" {
		s.start = line
	}
	s.closed = false
	switch {
	case s.fence != "":
		if trimmed != "" && s.list && indentOf(line) < s.fenceIndent {
			// A fence inside a list item ends with the item when a line
			// is indented less; what follows is too tangled to settle.
			s.held = true
			return
		}
		// Only spaces and tabs may follow a closing fence: "```\v" is
		// code.
		if closing := strings.Trim(line, " \t"); strings.HasPrefix(closing, s.fence) && strings.Trim(closing, s.fence[:1]) == "" {
			s.fence = ""
			s.closed = opens(s.start)
		}
		return
	case s.math != "":
		if trimmed == s.math {
			s.math = ""
			s.closed = opens(s.start)
		}
		return
	case s.html != "":
		if strings.Contains(strings.ToLower(line), s.html) {
			s.html = ""
		}
		return
	}
	if f := fenceOf(line); f != "" {
		s.fence, s.fenceIndent = f, indentOf(line)
		return
	}
	if indent := indentOf(line); indent <= 3 {
		s.html = htmlBlockEnd(line[indent:])
	}
	if indent := indentOf(line); indent <= 3 && listMarker.MatchString(line[indent:]) {
		s.list = true
	}
	switch trimmed {
	case "$$":
		s.math = "$$"
	case `\[`:
		s.math = `\]`
	}
	s.details += strings.Count(line, "<details") - strings.Count(line, "</details>")
	s.details = max(s.details, 0)
}

// htmlOpeners are the starts of the HTML blocks that run past blank
// lines, as CommonMark has them, with what ends each.
var htmlOpeners = []struct{ open, end string }{
	{"<pre", "</pre>"}, {"<script", "</script>"}, {"<style", "</style>"}, {"<textarea", "</textarea>"},
	{"<!--", "-->"}, {"<?", "?>"}, {"<![cdata[", "]]>"},
}

// htmlBlockEnd is what ends the HTML block line opens when a blank line
// does not, or "" when line opens none or closes it itself.
func htmlBlockEnd(line string) string {
	lower := strings.ToLower(line)
	for _, o := range htmlOpeners {
		rest, ok := strings.CutPrefix(lower, o.open)
		if !ok {
			continue
		}
		if o.open[1] != '!' && o.open[1] != '?' && rest != "" && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '>' {
			// <prefix> or <scripts> is another tag.
			continue
		}
		if strings.Contains(rest, o.end) {
			return ""
		}
		return o.end
	}
	if len(lower) > 2 && lower[0] == '<' && lower[1] == '!' && lower[2] >= 'a' && lower[2] <= 'z' {
		if strings.Contains(lower[2:], ">") {
			return ""
		}
		return ">"
	}
	return ""
}

// opens reports whether a block's first line opens a code fence at the
// top level. Display math does not count: an empty one is no math, and
// the text after it may join it into a paragraph.
func opens(start string) bool {
	return start[0] != ' ' && fenceOf(start) != ""
}

// fenceOf is the marker of the code fence line opens, or "". A backtick
// fence's info string has no backticks, or the line is inline code.
func fenceOf(line string) string {
	m := fenceLine.FindStringSubmatchIndex(line)
	if m == nil {
		return ""
	}
	marker := line[m[2]:m[3]]
	if marker[0] == '`' && strings.Contains(line[m[3]:], "`") {
		return ""
	}
	return marker
}

// settle converts the unsettled text before cut, unless later text could
// still change it.
func (s *settler) settle(md string, cut int, out []notionapi.Block) []notionapi.Block {
	piece := md[s.settled:cut]
	if mayChange(piece) {
		s.held = true
		return out
	}
	s.settled = cut
	s.settledUnits += limits.UTF16Len(piece)
	s.start, s.list = "", false
	return append(out, md2notion.Convert([]byte(piece))...)
}

// mayChange reports text whose blocks a later line could change: a
// footnote mark or definition, or brackets not closed by a link's
// address, which a reference definition further down would turn into a
// link. Brackets in code, task boxes and alert markers do not count.
func mayChange(piece string) bool {
	if strings.Contains(piece, "[^") {
		return true
	}
	if fenceOf(piece[:max(strings.IndexByte(piece, '\n'), 0)]) != "" {
		return false
	}
	lines := strings.Split(piece, "\n")
	for i, line := range lines {
		line = taskMarker.ReplaceAllString(line, "")
		line = alertMarker.ReplaceAllString(line, "")
		line = codeSpan.ReplaceAllString(line, "")
		lines[i] = inlineLink.ReplaceAllString(line, "")
	}
	// A label may open on one line and close on a later one.
	rest := strings.Join(lines, "\n")
	return strings.Contains(rest, "[") && strings.Contains(rest, "]")
}

func indentOf(line string) int {
	return len(line) - len(strings.TrimLeft(line, " "))
}
