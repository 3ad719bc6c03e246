package notion

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Text is the value as a person reads it in Notion, for a prompt: names for
// choices and people, Yes or No for a checkbox, dates as written, related
// pages by their titles (through titles, which may be nil). An empty value
// gives "".
func (v Value) Text(titles func(pageID string) (string, bool)) string {
	// Notion sets only the field of the value's type, so the first field
	// set among those of alike types is the value.
	switch v.Type {
	case "title", "rich_text":
		return plain(slices.Concat(v.Title, v.RichText))
	case "number":
		return orEmpty(v.Number, number)
	case "select", "status":
		return orEmpty(cmp.Or(v.Select, v.Status), func(o Option) string { return o.Name })
	case "multi_select":
		return names(v.MultiSelect, func(o Option) string { return o.Name })
	case "date":
		return orEmpty(v.Date, dateText)
	case "checkbox":
		return orEmpty(v.Checkbox, yesNo)
	case "url", "email", "phone_number":
		return orEmpty(cmp.Or(v.URL, v.Email, v.PhoneNumber), verbatim)
	case "people":
		return names(v.People, func(p Person) string { return p.Name })
	case "relation":
		if titles == nil {
			return ""
		}
		return names(v.Relation, func(r Ref) string {
			t, _ := titles(r.ID)
			return t
		})
	case "formula", "rollup":
		return orEmpty(cmp.Or(v.Formula, v.Rollup), func(r Result) string { return resultText(r, titles) })
	case "files":
		return names(v.Files, func(f FileRef) string { return f.Name })
	case "created_time", "last_edited_time":
		return orEmpty(cmp.Or(v.CreatedTime, v.LastEditedTime), timeText)
	case "created_by", "last_edited_by":
		return orEmpty(cmp.Or(v.CreatedBy, v.LastEditedBy), func(p Person) string { return p.Name })
	case "unique_id":
		return orEmpty(v.UniqueID, uniqueID)
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

// orEmpty is text(*p), or "" for Notion's null.
func orEmpty[T any](p *T, text func(T) string) string {
	if p == nil {
		return ""
	}
	return text(*p)
}

// number writes a number in its shortest natural form: 3, 2.5, 1200000.
func number(n float64) string {
	return strconv.FormatFloat(n, 'f', -1, 64)
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

func verbatim(s string) string { return s }

// names joins the names of items that have one.
func names[T any](items []T, name func(T) string) string {
	var kept []string
	for _, item := range items {
		if n := name(item); strings.TrimSpace(n) != "" {
			kept = append(kept, n)
		}
	}
	return strings.Join(kept, ", ")
}

func uniqueID(u UniqueID) string {
	if u.Number == nil {
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
func dateText(d DateValue) string {
	if d.Start == "" {
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

func resultText(r Result, titles func(string) (string, bool)) string {
	switch r.Type {
	case "string":
		return orEmpty(r.String, verbatim)
	case "number":
		return orEmpty(r.Number, number)
	case "boolean":
		return orEmpty(r.Boolean, yesNo)
	case "date":
		return orEmpty(r.Date, dateText)
	case "array":
		return names(r.Array, func(item Value) string { return item.Text(titles) })
	}
	return ""
}
