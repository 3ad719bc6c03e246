package notion2md

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// separator is an empty HTML comment. It shows nothing and md2notion drops
// it, but it keeps two neighbouring styled runs from reading as one
// delimiter run, and lets a run that starts or ends with punctuation open
// and close next to a letter.
const separator = "<!---->"

// inline renders rich text as Markdown. Newlines become <br>, which reads
// back as a line break in every block kind, tables included.
func inline(items []richText) string {
	return render(items, false)
}

// cellInline renders a table cell's rich text. GFM splits a row into cells
// at every | not escaped with a backslash, before it reads code spans,
// math or links, so a | in those is escaped too: GFM takes the backslash
// out of a code span and a link's address, and md2notion out of a cell's
// math.
func cellInline(items []richText) string {
	return render(items, true)
}

func render(items []richText, inCell bool) string {
	items = joinCode(items)
	var b strings.Builder
	prevStyled := false
	for i, it := range items {
		s, styled := item(it, i == 0, i == len(items)-1, inCell)
		if s == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			before := b.String()
			switch {
			case needsSeparator(before, s, prevStyled, styled):
				b.WriteString(separator)
			case afterWord(before) && (it.Annotations.Code || it.Type == "equation") && strings.Contains(it.content(), "@"):
				// Code or math holding an @ right after a word would
				// read as part of an e-mail address, which no escape
				// inside it can stop.
				b.WriteString(separator)
			case afterWord(before) && strings.HasPrefix(it.content(), "@"):
				// The @ starting this item follows a word: escaped,
				// it cannot make that word an e-mail address.
				s = strings.Replace(s, "@", `\@`, 1)
			}
		}
		b.WriteString(s)
		prevStyled = styled
	}
	return b.String()
}

// afterWord reports whether Markdown ends where an e-mail address's first
// part could: not after white space or a tag.
func afterWord(md string) bool {
	last, _ := utf8.DecodeLastRuneInString(md)
	return !unicode.IsSpace(last) && last != '>'
}

// joinCode joins neighbouring code items of the same look and link, as
// md2notion splits a long code span: written one by one, their backtick
// fences would meet and read as one longer fence.
func joinCode(items []richText) []richText {
	joined := false
	for i := 1; i < len(items) && !joined; i++ {
		joined = sameCode(items[i-1], items[i])
	}
	if !joined {
		return items
	}
	out := make([]richText, 0, len(items))
	for _, it := range items {
		if n := len(out); n > 0 && sameCode(out[n-1], it) {
			out[n-1] = withContent(out[n-1], out[n-1].content()+it.content())
			continue
		}
		out = append(out, it)
	}
	return out
}

func sameCode(a, b richText) bool {
	return a.Annotations.Code && a.Annotations == b.Annotations && a.Type != "equation" && b.Type != "equation" &&
		a.link() == b.link() && a.content() != "" && b.content() != ""
}

// withContent is a copy of a text item holding other text.
func withContent(r richText, text string) richText {
	r.PlainText = text
	if r.Text != nil {
		t := *r.Text
		t.Content = text
		r.Text = &t
	}
	return r
}

// needsSeparator reports whether a styled run's delimiters, where before
// ends and after starts, would merge with the other side or fail to open
// or close.
func needsSeparator(before, after string, beforeStyled, afterStyled bool) bool {
	last, _ := utf8.DecodeLastRuneInString(before)
	first, _ := utf8.DecodeRuneInString(after)
	if strings.HasSuffix(before, "$") && unicode.IsDigit(first) {
		// $x$1 is not math: a closing $ must not meet a digit.
		return true
	}
	if beforeStyled {
		inner, _ := utf8.DecodeLastRuneInString(strings.TrimRight(before, "*~"))
		if isDelim(first) || (isPunct(inner) && !isSpaceOrPunct(first)) {
			return true
		}
	}
	if afterStyled {
		inner, _ := utf8.DecodeRuneInString(strings.TrimLeft(after, "*~"))
		if isDelim(last) || (isPunct(inner) && !isSpaceOrPunct(last)) {
			return true
		}
	}
	return false
}

func isDelim(r rune) bool { return r == '*' || r == '~' || r == '_' }

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

func isSpaceOrPunct(r rune) bool { return unicode.IsSpace(r) || isPunct(r) }

// item renders one rich-text item and reports whether it carries emphasis
// delimiters on its edges.
func item(it richText, first, last, inCell bool) (string, bool) {
	text := it.content()
	if text == "" {
		return "", false
	}
	pipes := func(s string) string { return s }
	if inCell {
		pipes = strings.NewReplacer("|", `\|`).Replace
	}
	if it.Type == "equation" {
		return pipes(equation(text)), false
	}
	if it.Type == markdownText {
		return text, false
	}
	var s string
	if it.Annotations.Code {
		// A code span holds no line break: each line is a span of its
		// own, and the breaks between them are <br>.
		lines := strings.Split(text, "\n")
		for i, line := range lines {
			if line != "" {
				lines[i] = pipes(codeSpan(line))
			}
		}
		s = strings.Join(lines, "<br>")
	} else {
		styled := it.Annotations.Bold || it.Annotations.Italic || it.Annotations.Strikethrough
		s = escapeText(text, first || styled, last || styled)
		if it.link() != "" {
			// A link's text may hold only balanced brackets.
			s = strings.NewReplacer("[", "&#91;", "]", "&#93;").Replace(s)
		}
	}
	styled := false
	if it.Annotations.Bold || it.Annotations.Italic || it.Annotations.Strikethrough {
		// An escaped delimiter next to a real one reads as one run.
		if strings.HasPrefix(s, `\*`) || strings.HasPrefix(s, `\~`) || strings.HasPrefix(s, `\_`) {
			s = separator + s
		}
		if strings.HasSuffix(s, `\*`) || strings.HasSuffix(s, `\~`) || strings.HasSuffix(s, `\_`) {
			s += separator
		}
	}
	if it.Annotations.Strikethrough {
		s, styled = "~~"+s+"~~", true
	}
	switch {
	case it.Annotations.Bold && it.Annotations.Italic:
		s, styled = "***"+s+"***", true
	case it.Annotations.Bold:
		s, styled = "**"+s+"**", true
	case it.Annotations.Italic:
		s, styled = "*"+s+"*", true
	}
	if link := it.link(); link != "" {
		s = "[" + s + "](" + pipes(destination(link)) + ")"
		styled = false
	}
	return s, styled
}

// equation writes inline TeX between $ signs (an escaped \$ inside does not
// close them), or between \( \) when it holds a bare $.
func equation(tex string) string {
	if strings.HasSuffix(tex, `\`) {
		// A closing $ after a backslash would be escaped.
		return `\(` + tex + `\)`
	}
	for i := strings.IndexByte(tex, '$'); i >= 0; i = nextDollar(tex, i) {
		if i == 0 || tex[i-1] != '\\' {
			return `\(` + tex + `\)`
		}
	}
	return "$" + tex + "$"
}

// nextDollar is the index of the next $ in s after index i, or -1.
func nextDollar(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '$')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// codeSpan fences code with more backticks than it holds in a row, padding
// it when it starts or ends with a backtick or a space, which the fence
// would otherwise take.
func codeSpan(code string) string {
	fence := strings.Repeat("`", longestRun(code, '`')+1)
	if strings.HasPrefix(code, "`") || strings.HasSuffix(code, "`") ||
		(strings.HasPrefix(code, " ") && strings.HasSuffix(code, " ") && strings.Trim(code, " ") != "") {
		code = " " + code + " "
	}
	return fence + code + fence
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// destination writes a link address as it is, which reads back
// unchanged, or in angle brackets with < > and \ escaped when it holds a
// backslash, white space or unbalanced parentheses, which a bare one
// cannot.
func destination(url string) string {
	depth := 0
	for _, r := range url {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth--
		case r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r):
			depth = -1
		}
		if depth < 0 {
			break
		}
	}
	if depth != 0 || strings.HasPrefix(url, "<") {
		return "<" + strings.NewReplacer(`\`, `\\`, "<", `\<`, ">", `\>`).Replace(url) + ">"
	}
	return url
}

// escapeText writes text so that it reads back as exactly itself: the
// characters Markdown gives a meaning escaped, white space that Markdown
// would drop or read as indentation written as character references, and
// line breaks as <br>. start and end say whether the text starts or ends
// where Markdown would drop white space: a line's edges, or inside emphasis
// delimiters.
func escapeText(text string, start, end bool) string {
	var b strings.Builder
	lineStart := start
	// onlyDigits says that the text so far, from a line's start, is digits:
	// a . or ) after them would make a list marker.
	onlyDigits := start
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		next := text[i+size:]
		switch {
		case r == '\n':
			b.WriteString("<br>")
			i += size
			continue
		case r == ' ' || r == '\t':
			if (start && i == 0) || (end && next == "") || (next != "" && (next[0] == ' ' || next[0] == '\t')) {
				b.WriteString(charRef(r))
			} else {
				b.WriteRune(r)
			}
		case r == '&':
			b.WriteString("&amp;")
		case r == '[' && ((lineStart && opensLineSyntax(next)) || strings.HasPrefix(next, "^") || strings.HasSuffix(b.String(), "!")):
			b.WriteString("&#91;")
		case r == ']' && ((next == "" && !end) || (next != "" && strings.ContainsRune("([:", rune(next[0])))):
			b.WriteString("&#93;")
		case r == '!' && next == "" && !end:
			// A link after it would make an image.
			b.WriteString(`\!`)
		case r == '@' && i > 0 && !unicode.IsSpace(rune(text[i-1])):
			// An e-mail address would become a link.
			b.WriteString(`\@`)
		case strings.ContainsRune("\\`*_<>#~$|", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case lineStart && strings.ContainsRune("-+=", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == ':' && strings.HasPrefix(next, "//"):
			b.WriteString(`\:`)
		case r == '.' && i >= 3 && strings.EqualFold(text[i-3:i], "www"):
			b.WriteString(`\.`)
		case (r == '.' || r == ')') && i > 0 && onlyDigits:
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\r' || r == '\f' || r == '\v':
			// Markdown reads these as line endings or white space.
			b.WriteString(charRef(r))
		default:
			b.WriteRune(r)
		}
		lineStart = false
		onlyDigits = onlyDigits && r >= '0' && r <= '9'
		i += size
	}
	return b.String()
}

func charRef(r rune) string {
	return "&#" + strconv.Itoa(int(r)) + ";"
}

// opensLineSyntax reports whether text after a [ that starts a line would
// make it a task box, an alert marker or a link reference definition.
func opensLineSyntax(after string) bool {
	if strings.HasPrefix(after, "!") || strings.Contains(after, "]:") {
		return true
	}
	return len(after) >= 2 && strings.ContainsRune(" xX", rune(after[0])) && after[1] == ']'
}
