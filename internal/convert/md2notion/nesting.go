package md2notion

import "bytes"

// MaxLineNesting is the most quotes and list items one line may open. Past
// it, the line's further markers are text. Parsing and converting walk the
// tree by recursion, and in the browser the engine's recursion shares the
// JavaScript stack, about a megabyte: an answer of 5,000 nested quotes
// overflows it, where natively Go's stack grows. A hundred levels is far
// past what anyone writes, and Notion shows no more than the writer's ten.
const MaxLineNesting = 100

// capNesting returns src with the quote and list markers past
// MaxLineNesting on any line escaped, so that they read as text: every
// character stays, and no line nests deeper. Lines in fenced code are
// left as they are. It returns src itself when no line goes past the cap,
// which is every document people write.
func capNesting(src []byte) []byte {
	var out []byte
	var fence []byte
	done := 0
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start + 1
		}
		line := src[start:end]
		markers, cut, rest := lineMarkers(line)
		switch {
		case fence != nil:
			if closesFence(rest, fence) {
				fence = nil
			}
		case markers > MaxLineNesting && !isRule(line):
			at := cut
			for line[at] >= '0' && line[at] <= '9' {
				// An ordered marker is escaped at its . or ).
				at++
			}
			out = append(out, src[done:start+at]...)
			out = append(out, '\\')
			done = start + at
		default:
			fence = opensFence(rest)
		}
		start = end
	}
	if out == nil {
		return src
	}
	return append(out, src[done:]...)
}

// lineMarkers counts the quote (>) and list (-, +, *, 1. or 1)) markers that
// start a line, and returns where the first one past MaxLineNesting starts
// and the line after all of them.
func lineMarkers(line []byte) (markers, cut int, rest []byte) {
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		n := markerLen(line[i:])
		if n == 0 {
			return markers, cut, line[i:]
		}
		markers++
		if markers == MaxLineNesting+1 {
			cut = i
		}
		i += n
	}
}

// markerLen is the length of the quote or list marker line starts with, or
// 0. A list marker is followed by white space or the line's end.
func markerLen(line []byte) int {
	if len(line) == 0 {
		return 0
	}
	if line[0] == '>' {
		return 1
	}
	n := 0
	switch c := line[0]; {
	case c == '-' || c == '+' || c == '*':
		n = 1
	case c >= '0' && c <= '9':
		for n < len(line) && n < 9 && line[n] >= '0' && line[n] <= '9' {
			n++
		}
		if n == len(line) || (line[n] != '.' && line[n] != ')') {
			return 0
		}
		n++
	default:
		return 0
	}
	if n < len(line) && line[n] != ' ' && line[n] != '\t' && line[n] != '\n' && line[n] != '\r' {
		return 0
	}
	return n
}

// isRule reports a thematic break: one of -, * or _ three times or more,
// with spaces between, which would read otherwise with one escaped.
func isRule(line []byte) bool {
	line = bytes.TrimSpace(line)
	if len(line) < 3 || !bytes.ContainsRune([]byte("-*_"), rune(line[0])) {
		return false
	}
	for _, c := range line {
		if c != line[0] && c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// opensFence returns the fence a line opens, three or more backticks or
// tildes, or nil.
func opensFence(rest []byte) []byte {
	if len(rest) < 3 || (rest[0] != '`' && rest[0] != '~') {
		return nil
	}
	n := 0
	for n < len(rest) && rest[n] == rest[0] {
		n++
	}
	if n < 3 || (rest[0] == '`' && bytes.IndexByte(rest[n:], '`') >= 0) {
		return nil
	}
	return rest[:n]
}

// closesFence reports whether a line closes fence: the same character, at
// least as many, and nothing after but white space.
func closesFence(rest, fence []byte) bool {
	n := 0
	for n < len(rest) && rest[n] == fence[0] {
		n++
	}
	return n >= len(fence) && len(bytes.TrimSpace(rest[n:])) == 0
}
