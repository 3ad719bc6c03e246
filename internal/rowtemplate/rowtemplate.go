// Package rowtemplate is the prompt template a run over database rows
// uses: text with {{Property name}} placeholders, each replaced by that
// row's value as a person reads it. Every mistake in a template is found
// before anything runs, and each error names the placeholder as the user
// wrote it.
package rowtemplate

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/visen/visen/internal/notion"
)

// Template is a parsed template: literal text and placeholders in turn.
type Template struct {
	parts []part
	names []string
	// pageContent says that {{Page content}} is the row's page body, not
	// a property.
	pageContent bool
}

// part is literal text, or a placeholder when name is set.
type part struct {
	text string
	name string
}

// Problem is one mistake in a template.
type Problem struct {
	Placeholder string `json:"placeholder"`
	Message     string `json:"message"`
}

// Error is a template that cannot run: Problems lists every problem in the
// template's order, at least one.
type Error struct {
	Placeholder string
	Problems    []Problem
}

func (e *Error) Error() string { return e.Message() }

// Code is the stable name the popup receives.
func (e *Error) Code() string { return "invalid_template" }

// Message is the template's first problem.
func (e *Error) Message() string { return e.Problems[0].Message }

// Parse reads a template against the database's properties.
func Parse(src string, schema []notion.Schema) (*Template, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &Error{Problems: []Problem{{Message: "Write a prompt template first."}}}
	}
	t := &Template{}
	var problems []Problem
	rest := src
	for {
		open := strings.Index(rest, "{{")
		if open < 0 {
			t.literal(rest)
			break
		}
		t.literal(rest[:open])
		after := rest[open+2:]
		end := strings.Index(after, "}}")
		next := strings.Index(after, "{{")
		if end < 0 || (next >= 0 && next < end) {
			// Unclosed: show what was written up to the line's end or the
			// next placeholder, so the user can find it.
			cut := len(after)
			if next >= 0 {
				cut = next
			}
			if nl := strings.IndexByte(after[:cut], '\n'); nl >= 0 {
				cut = nl
			}
			written := "{{" + strings.TrimRight(after[:cut], " \t\r")
			problems = append(problems, Problem{Placeholder: written,
				Message: fmt.Sprintf("The placeholder “%s” is not closed: add }} after the property name.", written)})
			t.literal(rest[open : open+2+cut])
			rest = after[cut:]
			continue
		}
		written := "{{" + after[:end] + "}}"
		name := strings.TrimSpace(after[:end])
		rest = after[end+2:]
		if name == "" {
			problems = append(problems, Problem{Placeholder: written, Message: "A placeholder is empty: write a property name between {{ and }}."})
			continue
		}
		real, problem := resolve(name, schema)
		if problem != "" && strings.EqualFold(name, PageContent) {
			real, problem, t.pageContent = PageContent, "", true
		}
		if problem != "" {
			problems = append(problems, Problem{Placeholder: written, Message: problem})
			continue
		}
		t.parts = append(t.parts, part{name: real})
		if !slices.Contains(t.names, real) {
			t.names = append(t.names, real)
		}
	}
	if len(problems) > 0 {
		return nil, &Error{Placeholder: problems[0].Placeholder, Problems: problems}
	}
	return t, nil
}

func (t *Template) literal(s string) {
	if s == "" {
		return
	}
	if n := len(t.parts); n > 0 && t.parts[n-1].name == "" {
		t.parts[n-1].text += s
		return
	}
	t.parts = append(t.parts, part{text: s})
}

// resolve finds the property a placeholder names: exactly, or else in any
// letter case. When none matches, it says so with the closest name.
func resolve(name string, schema []notion.Schema) (string, string) {
	for _, s := range schema {
		if s.Name == name {
			return s.Name, ""
		}
	}
	for _, s := range schema {
		if strings.EqualFold(s.Name, name) {
			return s.Name, ""
		}
	}
	best, bestDist := "", -1
	for _, s := range schema {
		d := distance(strings.ToLower(name), strings.ToLower(s.Name))
		if bestDist < 0 || d < bestDist {
			best, bestDist = s.Name, d
		}
	}
	msg := fmt.Sprintf("There is no property called “%s” in this database.", name)
	if best != "" && bestDist <= max(2, utf8.RuneCountInString(name)/3) {
		return "", msg + fmt.Sprintf(" Did you mean {{%s}}?", best)
	}
	if len(schema) > 0 {
		var names []string
		for _, s := range schema[:min(len(schema), 8)] {
			names = append(names, s.Name)
		}
		list := strings.Join(names, ", ")
		if len(schema) > 8 {
			list += ", …"
		}
		return "", msg + " Its properties are " + list + "."
	}
	return "", msg
}

// distance is the Levenshtein distance between a and b, in characters.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Names are the properties the template uses, in order of first use.
func (t *Template) Names() []string { return slices.Clone(t.names) }

// Render is the prompt for a row: each placeholder replaced by the row's
// value as text; a property the row lacks renders as nothing.
func (t *Template) Render(values map[string]notion.Value, titles func(id string) (string, bool)) string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.text)
			continue
		}
		if v, ok := values[p.name]; ok {
			b.WriteString(v.Text(titles))
		}
	}
	return b.String()
}

// Empty names the properties the template uses that are empty for a row.
func (t *Template) Empty(values map[string]notion.Value) []string {
	var empty []string
	for _, name := range t.names {
		if v, ok := values[name]; !ok || v.IsEmpty() {
			empty = append(empty, name)
		}
	}
	return empty
}

// RelationIDs are the related pages whose titles rendering the row needs.
func (t *Template) RelationIDs(values map[string]notion.Value) []string {
	var ids []string
	for _, name := range t.names {
		for _, id := range values[name].RelationIDs() {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
