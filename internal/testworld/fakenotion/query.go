package fakenotion

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

var queryKeys = set("filter", "sorts", "start_cursor", "page_size")

// queryDatabase answers POST /v1/databases/{id}/query: the database's rows
// that are not in the trash, filtered and sorted, a page at a time. The
// cursor is the ID of the row the next page starts with.
func (s *Server) queryDatabase(w http.ResponseWriter, r *http.Request, in Integration, rawID string) {
	id := Dashed(rawID)
	req, ok := readBody(w, r, queryKeys)
	if !ok {
		return
	}
	size, cursor, msg := readPaging(req)
	if msg != "" {
		apiError(w, 400, "validation_error", "%s", msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.dbs[id]
	if !ok || !s.canReach(in, id) {
		if _, isPage := s.pages[id]; isPage && s.canReach(in, id) {
			apiError(w, 400, "validation_error", "Provided ID %s is a page, not a database. Use the retrieve page API instead.", id)
			return
		}
		apiError(w, 404, "object_not_found", "Could not find database with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id)
		return
	}
	props := d.schema()
	keep := func(*Page, map[string]any) bool { return true }
	if f, ok := req["filter"]; ok {
		if keep, msg = compileFilter("body.filter", f, props, 0); msg != "" {
			apiError(w, 400, "validation_error", "%s", msg)
			return
		}
	}
	var sorts []sortKey
	if raw, ok := req["sorts"]; ok {
		if sorts, msg = compileSorts(raw, props); msg != "" {
			apiError(w, 400, "validation_error", "%s", msg)
			return
		}
	}
	type row struct {
		page *Page
		keys []sortValue
	}
	var rows []row
	for _, p := range s.rows(id) {
		vals := s.rowValues(p, d)
		if !keep(p, vals) {
			continue
		}
		keys := make([]sortValue, len(sorts))
		for i, k := range sorts {
			keys[i] = k.value(p, vals)
		}
		rows = append(rows, row{p, keys})
	}
	sort.SliceStable(rows, func(i, j int) bool {
		for k, key := range sorts {
			if c := rows[i].keys[k].compare(rows[j].keys[k], key.desc); c != 0 {
				return c < 0
			}
		}
		return false
	})
	start := 0
	if cursor != "" {
		start = slices.IndexFunc(rows, func(r row) bool { return r.page.ID == Dashed(cursor) })
		if start < 0 {
			apiError(w, 400, "validation_error", "start_cursor provided is invalid: %s", cursor)
			return
		}
	}
	end := min(start+size, len(rows))
	results := make([]any, 0, end-start)
	for _, r := range rows[start:end] {
		results = append(results, s.pageObject(r.page))
	}
	var next any
	if end < len(rows) {
		next = rows[end].page.ID
	}
	writeJSON(w, 200, map[string]any{
		"object": "list", "results": results, "next_cursor": next, "has_more": next != nil,
		"type": "page_or_database", "page_or_database": map[string]any{}, "request_id": NewID(),
	})
}

// rows are a database's rows outside the trash, in the order they were
// made. The caller holds s.mu.
func (s *Server) rows(dbID string) []*Page {
	var rows []*Page
	for _, p := range s.pages {
		if p.Parent == dbID && !p.Archived {
			rows = append(rows, p)
		}
	}
	slices.SortFunc(rows, func(a, b *Page) int { return a.order - b.order })
	return rows
}

// readPaging reads a query's page_size, 1 to 100 and 100 when left out,
// and start_cursor.
func readPaging(req map[string]any) (size int, cursor string, msg string) {
	size = 100
	if v, ok := req["page_size"]; ok {
		n, isNum := v.(float64)
		switch {
		case !isNum:
			return 0, "", bad("body.page_size should be a number, instead was `%s`.", jsonText(v))
		case n != float64(int(n)):
			return 0, "", bad("body.page_size should be an integer, instead was `%s`.", jsonText(v))
		case n < 1:
			return 0, "", bad("body.page_size should be ≥ `1`, instead was `%s`.", jsonText(v))
		case n > 100:
			return 0, "", bad("body.page_size should be ≤ `100`, instead was `%s`.", jsonText(v))
		}
		size = int(n)
	}
	if v, ok := req["start_cursor"]; ok {
		c, isString := v.(string)
		if !isString {
			return 0, "", bad("body.start_cursor should be a string or `undefined`, instead was `%s`.", jsonText(v))
		}
		cursor = c
	}
	return size, cursor, ""
}

// ---- Filters -----------------------------------------------------------------

// rowFilter reports whether a row, with its values as the API shows them,
// passes a filter.
type rowFilter func(p *Page, vals map[string]any) bool

// compileFilter checks a filter as Notion does, before any row is looked
// at, and returns it as a function, or the validation message.
func compileFilter(path string, f any, props []Property, depth int) (rowFilter, string) {
	m, ok := f.(map[string]any)
	if !ok {
		return nil, bad("%s should be an object, instead was `%s`.", path, jsonText(f))
	}
	for _, op := range []string{"and", "or"} {
		list, ok := m[op]
		if !ok {
			continue
		}
		if depth >= 2 {
			return nil, bad("%s.%s should be not present: compound filters nest at most two levels deep.", path, op)
		}
		for _, k := range sortedKeys(m) {
			if k != op {
				return nil, bad("%s.%s should be not present, instead was `%s`.", path, k, jsonText(m[k]))
			}
		}
		items, ok := list.([]any)
		if !ok {
			return nil, bad("%s.%s should be an array, instead was `%s`.", path, op, jsonText(list))
		}
		parts := make([]rowFilter, 0, len(items))
		for i, it := range items {
			part, msg := compileFilter(fmt.Sprintf("%s.%s[%d]", path, op, i), it, props, depth+1)
			if msg != "" {
				return nil, msg
			}
			parts = append(parts, part)
		}
		all := op == "and"
		return func(p *Page, vals map[string]any) bool {
			for _, part := range parts {
				if part(p, vals) != all {
					return !all
				}
			}
			return all
		}, ""
	}
	if ts, ok := m["timestamp"]; ok {
		name, _ := ts.(string)
		if name != "created_time" && name != "last_edited_time" {
			return nil, bad("%s.timestamp should be `\"created_time\"` or `\"last_edited_time\"`, instead was `%s`.", path, jsonText(ts))
		}
		raw, ok := m[name]
		if !ok {
			return nil, bad("%s.%s should be defined, instead was `undefined`.", path, name)
		}
		for _, k := range sortedKeys(m) {
			if k != "timestamp" && k != name {
				return nil, bad("%s.%s should be not present, instead was `%s`.", path, k, jsonText(m[k]))
			}
		}
		match, msg := condition(path+"."+name, "date", raw)
		if msg != "" {
			return nil, msg
		}
		return func(p *Page, _ map[string]any) bool {
			if name == "created_time" {
				return match(p.created())
			}
			return match(p.edited())
		}, ""
	}
	key, ok := m["property"].(string)
	if !ok {
		return nil, bad("%s.property should be defined, instead was `%s`.", path, jsonText(m["property"]))
	}
	prop, ok := findProperty(props, key)
	if !ok {
		return nil, fmt.Sprintf("Could not find property with name or id: %s", key)
	}
	// The condition is keyed by the property's type, or by the family
	// its type belongs to: rich_text for any text, date for a time,
	// people for a person.
	condKey := ""
	for _, k := range []string{prop.Type, filterFamily[prop.Type]} {
		if _, ok := m[k]; ok && k != "" && condKey == "" {
			condKey = k
		}
	}
	for _, k := range sortedKeys(m) {
		if k == "property" || k == "type" || k == condKey {
			continue
		}
		if condKey == "" {
			return nil, bad("%s.%s does not match the type of property %s, which is %s.", path, k, prop.Name, prop.Type)
		}
		return nil, bad("%s.%s should be not present, instead was `%s`.", path, k, jsonText(m[k]))
	}
	if condKey == "" {
		return nil, bad("%s.%s should be defined, instead was `undefined`.", path, prop.Type)
	}
	match, msg := condition(path+"."+condKey, prop.Type, m[condKey])
	if msg != "" {
		return nil, msg
	}
	return func(_ *Page, vals map[string]any) bool {
		v, _ := vals[prop.Name].(map[string]any)
		return match(v[prop.Type])
	}, ""
}

// filterFamily is the other key a property's filter condition may have.
var filterFamily = map[string]string{
	"title": "rich_text", "url": "rich_text", "email": "rich_text", "phone_number": "rich_text",
	"created_time": "date", "last_edited_time": "date", "created_by": "people", "last_edited_by": "people",
}

// condition checks one condition, {"<op>": value}, for a property type,
// returning a test of a value as the API shows it.
func condition(path, typ string, raw any) (func(any) bool, string) {
	cond, ok := raw.(map[string]any)
	if !ok || len(cond) != 1 {
		return nil, bad("%s should hold exactly one condition, instead was `%s`.", path, jsonText(raw))
	}
	var op string
	var want any
	for op, want = range cond {
	}
	p := path + "." + op
	notPresent := bad("%s should be not present, instead was `%s`.", p, jsonText(want))
	if op == "is_empty" || op == "is_not_empty" {
		if want != true {
			return nil, bad("%s should be `true`, instead was `%s`.", p, jsonText(want))
		}
		switch typ {
		case "formula", "rollup", "checkbox":
			return nil, notPresent
		}
		return func(v any) bool { return isEmpty(typ, v) == (op == "is_empty") }, ""
	}
	switch typ {
	case "title", "rich_text", "url", "email", "phone_number":
		return textCondition(p, op, want)
	case "number", "unique_id":
		n, ok := want.(float64)
		if !ok {
			return nil, bad("%s should be a number, instead was `%s`.", p, jsonText(want))
		}
		cmp, known := numberOps[op]
		if !known {
			return nil, notPresent
		}
		return func(v any) bool {
			got, has := numberOf(v)
			if !has {
				return op == "does_not_equal"
			}
			return cmp(got, n)
		}, ""
	case "checkbox":
		b, ok := want.(bool)
		if !ok {
			return nil, bad("%s should be a boolean, instead was `%s`.", p, jsonText(want))
		}
		switch op {
		case "equals":
			return func(v any) bool { return (v == true) == b }, ""
		case "does_not_equal":
			return func(v any) bool { return (v == true) != b }, ""
		}
		return nil, notPresent
	case "select", "status":
		w, ok := want.(string)
		if !ok {
			return nil, bad("%s should be a string, instead was `%s`.", p, jsonText(want))
		}
		switch op {
		case "equals":
			return func(v any) bool { return optionName(v) == w }, ""
		case "does_not_equal":
			return func(v any) bool { return optionName(v) != w }, ""
		}
		return nil, notPresent
	case "multi_select", "people", "created_by", "last_edited_by", "relation":
		w, ok := want.(string)
		if !ok {
			return nil, bad("%s should be a string, instead was `%s`.", p, jsonText(want))
		}
		if typ != "multi_select" {
			if !isID(w) {
				return nil, bad("%s should be a valid uuid, instead was `%s`.", p, jsonText(want))
			}
			w = Dashed(w)
		}
		switch op {
		case "contains":
			return func(v any) bool { return slices.Contains(names(typ, v), w) }, ""
		case "does_not_contain":
			return func(v any) bool { return !slices.Contains(names(typ, v), w) }, ""
		}
		return nil, notPresent
	case "date", "created_time", "last_edited_time":
		return dateCondition(p, op, want)
	case "formula", "rollup":
		// The condition names the type of the result: {"string": {…}}.
		families := map[string]string{"string": "url", "checkbox": "checkbox", "number": "number", "date": "date"}
		if typ == "rollup" {
			families = map[string]string{"number": "number", "date": "date"}
		}
		family, known := families[op]
		if !known {
			return nil, bad("%s: the fake cannot filter a %s by %s.", path, typ, op)
		}
		match, msg := condition(p, family, want)
		if msg != "" {
			return nil, msg
		}
		// A formula's checkbox result is given as {"type": "boolean"}.
		key := map[string]string{"checkbox": "boolean"}[op]
		if key == "" {
			key = op
		}
		return func(v any) bool {
			m, _ := v.(map[string]any)
			return m["type"] == key && match(m[key])
		}, ""
	}
	return nil, bad("%s: the fake cannot filter by %s properties.", path, typ)
}

func textCondition(p, op string, want any) (func(any) bool, string) {
	w, ok := want.(string)
	if !ok {
		return nil, bad("%s should be a string, instead was `%s`.", p, jsonText(want))
	}
	lw := strings.ToLower(w)
	var test func(got, lower string) bool
	switch op {
	case "equals":
		test = func(got, _ string) bool { return got == w }
	case "does_not_equal":
		test = func(got, _ string) bool { return got != w }
	case "contains":
		test = func(_, lower string) bool { return strings.Contains(lower, lw) }
	case "does_not_contain":
		test = func(_, lower string) bool { return !strings.Contains(lower, lw) }
	case "starts_with":
		test = func(_, lower string) bool { return strings.HasPrefix(lower, lw) }
	case "ends_with":
		test = func(_, lower string) bool { return strings.HasSuffix(lower, lw) }
	default:
		return nil, bad("%s should be not present, instead was `%s`.", p, jsonText(want))
	}
	return func(v any) bool {
		got := textOf(v)
		return test(got, strings.ToLower(got))
	}, ""
}

var numberOps = map[string]func(got, want float64) bool{
	"equals":                   func(g, w float64) bool { return g == w },
	"does_not_equal":           func(g, w float64) bool { return g != w },
	"greater_than":             func(g, w float64) bool { return g > w },
	"less_than":                func(g, w float64) bool { return g < w },
	"greater_than_or_equal_to": func(g, w float64) bool { return g >= w },
	"less_than_or_equal_to":    func(g, w float64) bool { return g <= w },
}

// dateCondition compares the day of a date, which sorts as text; the
// relative conditions count from today, in UTC.
func dateCondition(p, op string, want any) (func(any) bool, string) {
	t := time.Now().UTC()
	within := func(years, months, days int) func(any) bool {
		a, b := t.Format(time.DateOnly), t.AddDate(years, months, days).Format(time.DateOnly)
		lo, hi := min(a, b), max(a, b)
		return func(v any) bool { d := dayOf(v); return d != "" && d >= lo && d <= hi }
	}
	monday := t.AddDate(0, 0, -(int(t.Weekday())+6)%7)
	relative := map[string]func(any) bool{
		"past_week": within(0, 0, -7), "past_month": within(0, -1, 0), "past_year": within(-1, 0, 0),
		"next_week": within(0, 0, 7), "next_month": within(0, 1, 0), "next_year": within(1, 0, 0),
		"this_week": func(v any) bool {
			d := dayOf(v)
			return d != "" && d >= monday.Format(time.DateOnly) && d <= monday.AddDate(0, 0, 6).Format(time.DateOnly)
		},
	}
	if match, ok := relative[op]; ok {
		if m, isObject := want.(map[string]any); !isObject || len(m) != 0 {
			return nil, bad("%s should be an empty object, instead was `%s`.", p, jsonText(want))
		}
		return match, ""
	}
	w, _ := want.(string)
	if !isoDate(w) {
		return nil, bad("%s should be a valid ISO 8601 date string, instead was `%s`.", p, jsonText(want))
	}
	w = w[:10]
	var cmp func(day string) bool
	switch op {
	case "equals":
		cmp = func(d string) bool { return d == w }
	case "before":
		cmp = func(d string) bool { return d < w }
	case "after":
		cmp = func(d string) bool { return d > w }
	case "on_or_before":
		cmp = func(d string) bool { return d <= w }
	case "on_or_after":
		cmp = func(d string) bool { return d >= w }
	default:
		return nil, bad("%s should be not present, instead was `%s`.", p, jsonText(want))
	}
	return func(v any) bool { d := dayOf(v); return d != "" && cmp(d) }, ""
}

// isEmpty reports whether a value as the API shows it is empty.
func isEmpty(typ string, v any) bool {
	switch typ {
	case "title", "rich_text", "url", "email", "phone_number":
		return textOf(v) == ""
	case "number", "unique_id":
		_, has := numberOf(v)
		return !has
	case "select", "status":
		return optionName(v) == ""
	case "date", "created_time", "last_edited_time":
		return dayOf(v) == ""
	case "multi_select", "people", "created_by", "last_edited_by", "relation", "files":
		return len(names(typ, v)) == 0
	}
	return v == nil
}

// textOf is the text of a string or of rich text.
func textOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return plainText(v)
}

// numberOf is a number, or a unique ID's number.
func numberOf(v any) (float64, bool) {
	if m, ok := v.(map[string]any); ok {
		v = m["number"]
	}
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// optionName is the name of a select or status value, or "".
func optionName(v any) string {
	m, _ := v.(map[string]any)
	name, _ := m["name"].(string)
	return name
}

// names lists a multi-select's option names, or the IDs of people or of
// related pages.
func names(typ string, v any) []string {
	if m, ok := v.(map[string]any); ok {
		v = []any{m}
	}
	items, _ := v.([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		m, _ := it.(map[string]any)
		key := "id"
		if typ == "multi_select" || typ == "files" {
			key = "name"
		}
		s, _ := m[key].(string)
		if key == "id" {
			s = Dashed(s)
		}
		out = append(out, s)
	}
	return out
}

// dayOf is the day, YYYY-MM-DD, of a date value, a time or a timestamp.
func dayOf(v any) string {
	var s string
	switch d := v.(type) {
	case map[string]any:
		s, _ = d["start"].(string)
	case time.Time:
		s = d.UTC().Format(time.RFC3339)
	case string:
		s = d
	}
	if len(s) < 10 {
		return ""
	}
	return s[:10]
}

var isoDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$`)

// isoDate reports whether s is a date, 2026-03-01, or a date and time,
// 2026-03-01T10:00:00Z, that exists.
func isoDate(s string) bool {
	if !isoDateRE.MatchString(s) {
		return false
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return false
	}
	if len(s) > 10 {
		if _, err := time.Parse("15:04", s[11:16]); err != nil {
			return false
		}
	}
	return true
}

// ---- Sorts -------------------------------------------------------------------

// sortKey is one sort of a query: a property or a timestamp, and its
// direction.
type sortKey struct {
	desc  bool
	value func(p *Page, vals map[string]any) sortValue
}

// sortValue is what a row sorts by: a number or a text, and whether it is
// empty. Empty values come last whichever the direction, as in Notion.
type sortValue struct {
	empty bool
	num   float64
	text  string
}

func (a sortValue) compare(b sortValue, desc bool) int {
	if a.empty || b.empty {
		switch {
		case a.empty == b.empty:
			return 0
		case a.empty:
			return 1
		}
		return -1
	}
	c := 0
	switch {
	case a.num < b.num:
		c = -1
	case a.num > b.num:
		c = 1
	default:
		c = strings.Compare(a.text, b.text)
	}
	if desc {
		return -c
	}
	return c
}

// compileSorts checks a query's sorts as Notion does.
func compileSorts(raw any, props []Property) ([]sortKey, string) {
	list, ok := raw.([]any)
	if !ok {
		return nil, bad("body.sorts should be an array, instead was `%s`.", jsonText(raw))
	}
	keys := make([]sortKey, 0, len(list))
	for i, it := range list {
		path := fmt.Sprintf("body.sorts[%d]", i)
		m, ok := it.(map[string]any)
		if !ok {
			return nil, bad("%s should be an object, instead was `%s`.", path, jsonText(it))
		}
		for _, k := range sortedKeys(m) {
			if k != "property" && k != "timestamp" && k != "direction" {
				return nil, bad("%s.%s should be not present, instead was `%s`.", path, k, jsonText(m[k]))
			}
		}
		dir, _ := m["direction"].(string)
		if dir != "ascending" && dir != "descending" {
			return nil, bad("%s.direction should be `\"ascending\"` or `\"descending\"`, instead was `%s`.", path, jsonText(m["direction"]))
		}
		key := sortKey{desc: dir == "descending"}
		ts, hasTS := m["timestamp"]
		name, hasProp := m["property"]
		switch {
		case hasTS && hasProp:
			return nil, bad("%s should hold one of property and timestamp, not both.", path)
		case hasTS:
			switch ts {
			case "created_time":
				key.value = func(p *Page, _ map[string]any) sortValue { return sortValue{num: float64(p.created().Unix())} }
			case "last_edited_time":
				key.value = func(p *Page, _ map[string]any) sortValue { return sortValue{num: float64(p.edited().Unix())} }
			default:
				return nil, bad("%s.timestamp should be `\"created_time\"` or `\"last_edited_time\"`, instead was `%s`.", path, jsonText(ts))
			}
		case hasProp:
			text, _ := name.(string)
			prop, ok := findProperty(props, text)
			if !ok {
				return nil, fmt.Sprintf("Could not find sort property with name or id: %s", text)
			}
			key.value = func(_ *Page, vals map[string]any) sortValue {
				v, _ := vals[prop.Name].(map[string]any)
				return sortValueOf(prop, v[prop.Type])
			}
		default:
			return nil, bad("%s.property should be defined, instead was `undefined`.", path)
		}
		keys = append(keys, key)
	}
	return keys, ""
}

// sortValueOf is what a value sorts by: numbers by value, choices in the
// order of their options as Notion sorts them, the rest by text.
func sortValueOf(prop Property, v any) sortValue {
	switch prop.Type {
	case "number", "unique_id":
		n, has := numberOf(v)
		return sortValue{empty: !has, num: n}
	case "checkbox":
		if v == true {
			return sortValue{num: 1}
		}
		return sortValue{}
	case "select", "status":
		name := optionName(v)
		i := slices.IndexFunc(prop.Options, func(o Option) bool { return o.Name == name })
		if i < 0 {
			i = len(prop.Options)
		}
		return sortValue{empty: name == "", num: float64(i), text: name}
	case "date", "created_time", "last_edited_time":
		var d string
		switch t := v.(type) {
		case map[string]any:
			d, _ = t["start"].(string)
		case time.Time:
			d = t.UTC().Format(time.RFC3339)
		}
		return sortValue{empty: d == "", text: d}
	case "formula", "rollup":
		m, _ := v.(map[string]any)
		typ, _ := m["type"].(string)
		family := map[string]string{"string": "url", "number": "number", "boolean": "checkbox", "date": "date"}[typ]
		if family == "" {
			return sortValue{empty: true}
		}
		return sortValueOf(Property{Type: family}, m[typ])
	case "multi_select", "people", "created_by", "last_edited_by", "relation", "files":
		n := names(prop.Type, v)
		return sortValue{empty: len(n) == 0, text: strings.ToLower(strings.Join(n, ","))}
	}
	text := strings.ToLower(textOf(v))
	return sortValue{empty: text == "", text: text}
}
