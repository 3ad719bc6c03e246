package notion

import (
	"strconv"
	"strings"
)

// Text is the value as a person reads it in Notion, for a prompt: names for
// choices and people, Yes or No for a checkbox, dates as written, related
// pages by their titles (through titles, which may be nil). An empty value
// gives "".
func (v Value) Text(titles func(pageID string) (string, bool)) string {
	switch v.Type {
	case "title":
		return plain(v.Title)
	case "rich_text":
		return plain(v.RichText)
	case "number":
		return number(v.Number)
	case "select":
		return optionName(v.Select)
	case "status":
		return optionName(v.Status)
	case "multi_select":
		names := make([]string, 0, len(v.MultiSelect))
		for _, o := range v.MultiSelect {
			names = append(names, o.Name)
		}
		return joinNonEmpty(names)
	case "date":
		return dateText(v.Date)
	case "checkbox":
		return yesNo(v.Checkbox)
	case "url":
		return deref(v.URL)
	case "email":
		return deref(v.Email)
	case "phone_number":
		return deref(v.PhoneNumber)
	case "people":
		names := make([]string, 0, len(v.People))
		for _, p := range v.People {
			names = append(names, p.Name)
		}
		return joinNonEmpty(names)
	case "relation":
		if titles == nil {
			return ""
		}
		names := make([]string, 0, len(v.Relation))
		for _, r := range v.Relation {
			if t, ok := titles(r.ID); ok {
				names = append(names, t)
			}
		}
		return joinNonEmpty(names)
	case "formula":
		return formulaText(v.Formula)
	case "rollup":
		return rollupText(v.Rollup, titles)
	case "files":
		names := make([]string, 0, len(v.Files))
		for _, f := range v.Files {
			names = append(names, f.Name)
		}
		return joinNonEmpty(names)
	case "created_time":
		return timeText(deref(v.CreatedTime))
	case "last_edited_time":
		return timeText(deref(v.LastEditedTime))
	case "created_by":
		return personName(v.CreatedBy)
	case "last_edited_by":
		return personName(v.LastEditedBy)
	case "unique_id":
		return uniqueID(v.UniqueID)
	}
	return ""
}

// IsEmpty reports a value with nothing to read. A relation with pages is
// not empty, even before their titles are known.
func (v Value) IsEmpty() bool {
	if len(v.RelationIDs()) > 0 {
		return false
	}
	return strings.TrimSpace(v.Text(nil)) == ""
}

// RelationIDs are the pages a relation, or a rollup of relations, points
// at.
func (v Value) RelationIDs() []string {
	var ids []string
	for _, r := range v.Relation {
		ids = append(ids, r.ID)
	}
	if v.Rollup != nil {
		for _, item := range v.Rollup.Array {
			ids = append(ids, item.RelationIDs()...)
		}
	}
	return ids
}

// number writes a number in its shortest natural form: 3, 2.5, 1200000.
func number(n *float64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatFloat(*n, 'f', -1, 64)
}

func optionName(o *Option) string {
	if o == nil {
		return ""
	}
	return o.Name
}

func yesNo(b *bool) string {
	if b == nil {
		return ""
	}
	if *b {
		return "Yes"
	}
	return "No"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func joinNonEmpty(parts []string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ", ")
}

func personName(p *Person) string {
	if p == nil {
		return ""
	}
	return p.Name
}

func uniqueID(u *UniqueID) string {
	if u == nil || u.Number == nil {
		return ""
	}
	n := strconv.Itoa(*u.Number)
	if u.Prefix != nil && *u.Prefix != "" {
		return *u.Prefix + "-" + n
	}
	return n
}

// dateText keeps a date as Notion wrote it, and a date-time as its local
// date and time of day, with a range as "start → end".
func dateText(d *DateValue) string {
	if d == nil || d.Start == "" {
		return ""
	}
	s := timeText(d.Start)
	if d.End != nil && *d.End != "" {
		s += " → " + timeText(*d.End)
	}
	return s
}

// timeText turns "2026-03-01T09:30:00.000+02:00" into "2026-03-01 09:30",
// keeping the time as written rather than converting its zone.
func timeText(s string) string {
	date, clock, ok := strings.Cut(s, "T")
	if !ok || len(clock) < 5 {
		return s
	}
	return date + " " + clock[:5]
}

func formulaText(f *Formula) string {
	if f == nil {
		return ""
	}
	switch f.Type {
	case "string":
		return deref(f.String)
	case "number":
		return number(f.Number)
	case "boolean":
		return yesNo(f.Boolean)
	case "date":
		return dateText(f.Date)
	}
	return ""
}

func rollupText(r *Rollup, titles func(string) (string, bool)) string {
	if r == nil {
		return ""
	}
	switch r.Type {
	case "number":
		return number(r.Number)
	case "date":
		return dateText(r.Date)
	case "array":
		parts := make([]string, 0, len(r.Array))
		for _, item := range r.Array {
			parts = append(parts, item.Text(titles))
		}
		return joinNonEmpty(parts)
	}
	return ""
}
