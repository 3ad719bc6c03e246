package fakenotion

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/visen/visen/internal/limits"
)

// Property is one property of a database's schema.
type Property struct {
	Name string `json:"name"`
	// Type is Notion's property type: title, rich_text, number, select,
	// multi_select, status, date, checkbox, url, email, phone_number,
	// people, relation, formula, rollup, files, created_time, ….
	Type string `json:"type"`
	// Options are the choices of a select, multi-select or status.
	Options []Option `json:"options,omitempty"`
	// RelationTo is the database a relation points at.
	RelationTo string `json:"relationTo,omitempty"`
	// Expression is a formula's expression, shown in the schema only.
	Expression string `json:"expression,omitempty"`
}

// Option is a choice of a select, multi-select or status property.
type Option struct {
	Name  string `json:"name"`
	Color string `json:"color,omitempty"`
}

// schema is the database's properties, with a title property called
// "Name" first when the seed gave none. The caller holds s.mu.
func (d *Database) schema() []Property {
	if slices.ContainsFunc(d.Properties, func(p Property) bool { return p.Type == "title" }) {
		return d.Properties
	}
	return append([]Property{{Name: titleProperty, Type: "title"}}, d.Properties...)
}

// propID is a property's stable ID; Notion's are short and URL-escaped.
func propID(p Property) string {
	if p.Type == "title" {
		return "title"
	}
	h := fnv.New32a()
	h.Write([]byte(p.Name))
	return fmt.Sprintf("%%3A%x", h.Sum32()&0xffffff)
}

func optionID(name string) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	return fmt.Sprintf("%016x", h.Sum64())[:8]
}

func optionObject(o Option) map[string]any {
	color := o.Color
	if color == "" {
		color = "default"
	}
	return map[string]any{"id": optionID(o.Name), "name": o.Name, "color": color}
}

// schemaObject is a database's properties as the retrieve API shows them.
func schemaObject(props []Property) map[string]any {
	out := map[string]any{}
	for _, p := range props {
		config := map[string]any{}
		switch p.Type {
		case "select", "multi_select", "status":
			opts := make([]any, 0, len(p.Options))
			for _, o := range p.Options {
				opts = append(opts, optionObject(o))
			}
			config["options"] = opts
			if p.Type == "status" {
				config["groups"] = []any{}
			}
		case "relation":
			config = map[string]any{"database_id": Dashed(p.RelationTo), "type": "single_property", "single_property": map[string]any{}}
		case "number":
			config["format"] = "number"
		case "formula":
			config["expression"] = p.Expression
		case "rollup":
			config = map[string]any{"function": "sum", "relation_property_name": "", "relation_property_id": "", "rollup_property_name": "", "rollup_property_id": ""}
		}
		out[p.Name] = map[string]any{"id": propID(p), "name": p.Name, "type": p.Type, p.Type: config}
	}
	return out
}

// findProperty finds a property by name or ID.
func findProperty(props []Property, key string) (Property, bool) {
	for _, p := range props {
		if p.Name == key || propID(p) == key {
			return p, true
		}
	}
	return Property{}, false
}

// rowValues are a database row's property values as the API shows them:
// every property of the schema, with Notion's nulls for empty ones. The
// caller holds s.mu.
func (s *Server) rowValues(p *Page, d *Database) map[string]any {
	out := map[string]any{}
	for _, prop := range d.schema() {
		var v any
		if prop.Type == "title" {
			v = richText(p.Title)
		} else if stored, ok := p.Properties[prop.Name]; ok {
			v = readValue(prop, stored)
		} else {
			v = emptyValue(prop.Type)
		}
		obj := map[string]any{"id": propID(prop), "type": prop.Type, prop.Type: v}
		if prop.Type == "relation" {
			obj["has_more"] = false
		}
		out[prop.Name] = obj
	}
	return out
}

func emptyValue(typ string) any {
	switch typ {
	case "title", "rich_text", "multi_select", "people", "relation", "files":
		return []any{}
	case "checkbox":
		return false
	case "formula":
		return map[string]any{"type": "string", "string": nil}
	case "rollup":
		return map[string]any{"type": "number", "number": nil, "function": "sum"}
	case "created_time", "last_edited_time":
		return created
	case "created_by", "last_edited_by":
		return partialUser()
	case "unique_id":
		return map[string]any{"prefix": nil, "number": 1}
	}
	return nil
}

// readValue is a stored value in the API's shape: rich text with the
// fields Notion adds on reading, choices with their IDs and colours.
func readValue(prop Property, v any) any {
	switch prop.Type {
	case "title", "rich_text":
		return readRichText(v)
	case "select", "status":
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		name, _ := m["name"].(string)
		return optionObject(optionNamed(prop, name))
	case "multi_select":
		items, _ := v.([]any)
		out := make([]any, 0, len(items))
		for _, it := range items {
			m, _ := it.(map[string]any)
			name, _ := m["name"].(string)
			out = append(out, optionObject(optionNamed(prop, name)))
		}
		return out
	case "date":
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		return map[string]any{"start": m["start"], "end": m["end"], "time_zone": m["time_zone"]}
	}
	return v
}

func optionNamed(prop Property, name string) Option {
	for _, o := range prop.Options {
		if o.Name == name {
			return o
		}
	}
	return Option{Name: name}
}

// storeValues takes the values a seed gives a row, keyed by property name,
// each as Notion's page property value ({"select": {...}}), and keeps the
// inner value. The caller owns s.
func storeSeedValues(p *Page, d *Database) {
	if d == nil || len(p.Properties) == 0 {
		return
	}
	stored := map[string]any{}
	for name, raw := range p.Properties {
		prop, ok := findProperty(d.schema(), name)
		if !ok {
			continue
		}
		if m, ok := raw.(map[string]any); ok {
			if inner, ok := m[prop.Type]; ok {
				stored[prop.Name] = inner
				continue
			}
		}
		stored[prop.Name] = raw
	}
	p.Properties = stored
}

// readBody reads a JSON object body, refusing keys Notion does not take
// as Notion does; it reports false once it has answered. An empty body is
// an empty object.
func readBody(w http.ResponseWriter, r *http.Request, allowed map[string]bool) (map[string]any, bool) {
	body, _ := io.ReadAll(r.Body)
	if len(body) > limits.PayloadBytes {
		apiError(w, 413, "payload_too_large", "Request body too large.")
		return nil, false
	}
	req := map[string]any{}
	if len(body) > 0 && json.Unmarshal(body, &req) != nil {
		apiError(w, 400, "invalid_json", "Error parsing JSON body.")
		return nil, false
	}
	for k := range req {
		if !allowed[k] {
			apiError(w, 400, "validation_error", "body failed validation: body.%s should be not present, instead was `%v`.", k, req[k])
			return nil, false
		}
	}
	return req, true
}

// ---- Query -------------------------------------------------------------------

var queryKeys = set("filter", "sorts", "start_cursor", "page_size")

func (s *Server) queryDatabase(w http.ResponseWriter, r *http.Request, in Integration, rawID string) {
	id := Dashed(rawID)
	req, ok := readBody(w, r, queryKeys)
	if !ok {
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
	size := 100
	if v, ok := req["page_size"]; ok {
		n, isNum := v.(float64)
		if !isNum || n != float64(int(n)) || n < 1 || n > 100 {
			apiError(w, 400, "validation_error", "body failed validation: body.page_size should be a number between 1 and 100, instead was `%v`.", v)
			return
		}
		size = int(n)
	}
	props := d.schema()
	var rows []*Page
	for _, p := range s.pages {
		if p.Parent == id && !p.Archived {
			rows = append(rows, p)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].order < rows[j].order })
	if f, ok := req["filter"]; ok {
		var kept []*Page
		for _, p := range rows {
			match, msg := s.matches(f, p, d, props, 0)
			if msg != "" {
				if strings.HasPrefix(msg, "body.") {
					msg = "body failed validation: " + msg
				}
				apiError(w, 400, "validation_error", "%s", msg)
				return
			}
			if match {
				kept = append(kept, p)
			}
		}
		rows = kept
	}
	if sorts, ok := req["sorts"]; ok {
		if msg := s.sortRows(rows, d, props, sorts); msg != "" {
			apiError(w, 400, "validation_error", "%s", msg)
			return
		}
	}
	start := 0
	if c, ok := req["start_cursor"].(string); ok && c != "" {
		start = slices.IndexFunc(rows, func(p *Page) bool { return p.ID == Dashed(c) })
		if start < 0 {
			apiError(w, 400, "validation_error", "start_cursor provided is invalid: %s", c)
			return
		}
	}
	end := min(start+size, len(rows))
	results := make([]any, 0, end-start)
	for _, p := range rows[start:end] {
		results = append(results, s.pageObject(p))
	}
	var next any
	if end < len(rows) {
		next = rows[end].ID
	}
	writeJSON(w, 200, map[string]any{
		"object": "list", "results": results, "next_cursor": next, "has_more": next != nil,
		"type": "page_or_database", "page_or_database": map[string]any{}, "request_id": NewID(),
	})
}

// matches evaluates a filter on a row, or returns the validation message.
func (s *Server) matches(f any, p *Page, d *Database, props []Property, depth int) (bool, string) {
	m, ok := f.(map[string]any)
	if !ok {
		return false, "body.filter should be an object."
	}
	for _, op := range []string{"and", "or"} {
		list, ok := m[op]
		if !ok {
			continue
		}
		if depth >= 2 {
			return false, "body.filter: compound filters may nest at most two levels deep."
		}
		items, ok := list.([]any)
		if !ok {
			return false, fmt.Sprintf("body.filter.%s should be an array.", op)
		}
		all := op == "and"
		for _, it := range items {
			match, msg := s.matches(it, p, d, props, depth+1)
			if msg != "" {
				return false, msg
			}
			if op == "and" && !match {
				all = false
			}
			if op == "or" && match {
				return true, ""
			}
		}
		return all, ""
	}
	if ts, ok := m["timestamp"].(string); ok {
		cond, _ := m[ts].(map[string]any)
		if ts != "created_time" && ts != "last_edited_time" || cond == nil {
			return false, "body.filter.timestamp should be created_time or last_edited_time, with its condition."
		}
		return dateMatches(cond, created.Format(time.RFC3339))
	}
	key, _ := m["property"].(string)
	prop, ok := findProperty(props, key)
	if !ok {
		return false, fmt.Sprintf("Could not find property with name or id: %s", key)
	}
	condType := prop.Type
	if prop.Type == "formula" || prop.Type == "rollup" {
		return false, fmt.Sprintf("Visen's fake cannot filter by %s properties.", prop.Type)
	}
	raw, ok := m[condType]
	if !ok {
		for k := range m {
			if k != "property" && k != "type" {
				return false, fmt.Sprintf("body.filter.%s does not match the type of property %s, which is %s.", k, prop.Name, prop.Type)
			}
		}
		return false, fmt.Sprintf("body.filter.%s should be defined.", condType)
	}
	cond, ok := raw.(map[string]any)
	if !ok || len(cond) != 1 {
		return false, fmt.Sprintf("body.filter.%s should hold one condition.", condType)
	}
	vals := s.rowValues(p, d)[prop.Name].(map[string]any)[prop.Type]
	switch prop.Type {
	case "title", "rich_text", "url", "email", "phone_number":
		return textMatches(cond, valueString(prop.Type, vals))
	case "number":
		return numberMatches(cond, vals)
	case "checkbox":
		b, _ := vals.(bool)
		for op, want := range cond {
			w, ok := want.(bool)
			if !ok {
				return false, "body.filter.checkbox." + op + " should be a boolean."
			}
			switch op {
			case "equals":
				return b == w, ""
			case "does_not_equal":
				return b != w, ""
			}
			return false, "body.filter.checkbox." + op + " is not a checkbox condition."
		}
	case "select", "status":
		name := ""
		if o, ok := vals.(map[string]any); ok {
			name, _ = o["name"].(string)
		}
		for op, want := range cond {
			w, _ := want.(string)
			switch op {
			case "equals":
				return name == w, ""
			case "does_not_equal":
				return name != w, ""
			case "is_empty":
				return name == "", ""
			case "is_not_empty":
				return name != "", ""
			}
			return false, fmt.Sprintf("body.filter.%s.%s is not a %s condition.", prop.Type, op, prop.Type)
		}
	case "multi_select":
		var names []string
		items, _ := vals.([]any)
		for _, it := range items {
			o, _ := it.(map[string]any)
			n, _ := o["name"].(string)
			names = append(names, n)
		}
		for op, want := range cond {
			w, _ := want.(string)
			switch op {
			case "contains":
				return slices.Contains(names, w), ""
			case "does_not_contain":
				return !slices.Contains(names, w), ""
			case "is_empty":
				return len(names) == 0, ""
			case "is_not_empty":
				return len(names) > 0, ""
			}
			return false, "body.filter.multi_select." + op + " is not a multi_select condition."
		}
	case "date":
		start := ""
		if o, ok := vals.(map[string]any); ok {
			start, _ = o["start"].(string)
		}
		return dateMatches(cond, start)
	}
	return false, fmt.Sprintf("Visen's fake cannot filter by %s properties.", prop.Type)
}

// valueString is the plain text of a text-like value.
func valueString(typ string, v any) string {
	switch typ {
	case "title", "rich_text":
		var b strings.Builder
		items, _ := v.([]any)
		if maps, ok := v.([]map[string]any); ok {
			for _, m := range maps {
				items = append(items, m)
			}
		}
		for _, it := range items {
			m, _ := it.(map[string]any)
			t, _ := m["plain_text"].(string)
			b.WriteString(t)
		}
		return b.String()
	}
	s, _ := v.(string)
	return s
}

func textMatches(cond map[string]any, got string) (bool, string) {
	for op, want := range cond {
		w, isString := want.(string)
		if !isString && op != "is_empty" && op != "is_not_empty" {
			return false, "body.filter condition " + op + " should be a string."
		}
		lg, lw := strings.ToLower(got), strings.ToLower(w)
		switch op {
		case "equals":
			return got == w, ""
		case "does_not_equal":
			return got != w, ""
		case "contains":
			return strings.Contains(lg, lw), ""
		case "does_not_contain":
			return !strings.Contains(lg, lw), ""
		case "starts_with":
			return strings.HasPrefix(lg, lw), ""
		case "ends_with":
			return strings.HasSuffix(lg, lw), ""
		case "is_empty":
			return got == "", ""
		case "is_not_empty":
			return got != "", ""
		}
		return false, "body.filter condition " + op + " is not a text condition."
	}
	return false, ""
}

func numberMatches(cond map[string]any, v any) (bool, string) {
	n, has := v.(float64)
	for op, want := range cond {
		if op == "is_empty" {
			return !has, ""
		}
		if op == "is_not_empty" {
			return has, ""
		}
		w, ok := want.(float64)
		if !ok {
			return false, "body.filter.number." + op + " should be a number."
		}
		if !has {
			return false, ""
		}
		switch op {
		case "equals":
			return n == w, ""
		case "does_not_equal":
			return n != w, ""
		case "greater_than":
			return n > w, ""
		case "less_than":
			return n < w, ""
		case "greater_than_or_equal_to":
			return n >= w, ""
		case "less_than_or_equal_to":
			return n <= w, ""
		}
		return false, "body.filter.number." + op + " is not a number condition."
	}
	return false, ""
}

// dateMatches compares the date part of ISO dates, which sort as text.
func dateMatches(cond map[string]any, start string) (bool, string) {
	day := start
	if len(day) > 10 {
		day = day[:10]
	}
	for op, want := range cond {
		if op == "is_empty" {
			return day == "", ""
		}
		if op == "is_not_empty" {
			return day != "", ""
		}
		w, _ := want.(string)
		if !isoDate(w) {
			return false, fmt.Sprintf("body.filter.date.%s should be a valid ISO 8601 date string, instead was `%v`.", op, want)
		}
		w = w[:10]
		if day == "" {
			return false, ""
		}
		switch op {
		case "equals":
			return day == w, ""
		case "before":
			return day < w, ""
		case "after":
			return day > w, ""
		case "on_or_before":
			return day <= w, ""
		case "on_or_after":
			return day >= w, ""
		}
		return false, "body.filter.date." + op + " is not a date condition."
	}
	return false, ""
}

var isoDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$`)

func isoDate(s string) bool { return isoDateRE.MatchString(s) }

func (s *Server) sortRows(rows []*Page, d *Database, props []Property, raw any) string {
	sorts, ok := raw.([]any)
	if !ok {
		return "body failed validation: body.sorts should be an array."
	}
	type key struct {
		prop Property
		desc bool
	}
	var keys []key
	for _, it := range sorts {
		m, _ := it.(map[string]any)
		dir, _ := m["direction"].(string)
		if dir != "ascending" && dir != "descending" {
			return "body failed validation: sorts[].direction should be ascending or descending."
		}
		if ts, ok := m["timestamp"].(string); ok {
			if ts != "created_time" && ts != "last_edited_time" {
				return "body failed validation: sorts[].timestamp should be created_time or last_edited_time."
			}
			keys = append(keys, key{prop: Property{Type: "order"}, desc: dir == "descending"})
			continue
		}
		name, _ := m["property"].(string)
		prop, ok := findProperty(props, name)
		if !ok {
			return fmt.Sprintf("Could not find sort property with name or id: %s", name)
		}
		keys = append(keys, key{prop: prop, desc: dir == "descending"})
	}
	text := func(p *Page, prop Property) string {
		if prop.Type == "order" {
			return fmt.Sprintf("%09d", p.order)
		}
		v := s.rowValues(p, d)[prop.Name].(map[string]any)[prop.Type]
		switch prop.Type {
		case "number":
			if n, ok := v.(float64); ok {
				return fmt.Sprintf("%020.6f", n+1e12)
			}
			return ""
		case "select", "status":
			if o, ok := v.(map[string]any); ok {
				n, _ := o["name"].(string)
				return n
			}
			return ""
		case "date":
			if o, ok := v.(map[string]any); ok {
				n, _ := o["start"].(string)
				return n
			}
			return ""
		case "checkbox":
			return strconv.FormatBool(v == true)
		}
		return strings.ToLower(valueString(prop.Type, v))
	}
	sort.SliceStable(rows, func(i, j int) bool {
		for _, k := range keys {
			a, b := text(rows[i], k.prop), text(rows[j], k.prop)
			if a == b {
				continue
			}
			if k.desc {
				return a > b
			}
			return a < b
		}
		return false
	})
	return ""
}

// ---- Pages: create and update ----------------------------------------------

var createKeys = set("parent", "properties", "children", "icon", "cover")
var updateKeys = set("properties", "archived", "in_trash", "icon", "cover")

// readOnly are property types whose values Notion computes.
var readOnly = set("formula", "rollup", "created_time", "created_by", "last_edited_time", "last_edited_by", "unique_id", "verification", "button")

func (s *Server) createPage(w http.ResponseWriter, r *http.Request, in Integration) {
	req, ok := readBody(w, r, createKeys)
	if !ok {
		return
	}
	parent, _ := req["parent"].(map[string]any)
	dbID, _ := parent["database_id"].(string)
	pageID, _ := parent["page_id"].(string)
	if dbID == "" && pageID == "" {
		apiError(w, 400, "validation_error", "body failed validation: body.parent.database_id should be defined, instead was `undefined`.")
		return
	}
	parentID := Dashed(dbID + pageID)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, isDB := s.dbs[parentID]
	_, isPage := s.pages[parentID]
	if (dbID != "" && !isDB) || (pageID != "" && !isPage) || !s.canReach(in, parentID) {
		what := "database"
		if pageID != "" {
			what = "page"
		}
		apiError(w, 404, "object_not_found", "Could not find %s with ID: %s. Make sure the relevant pages and databases are shared with your integration.", what, parentID)
		return
	}
	if in.NoInsert {
		apiError(w, 403, "restricted_resource", "Insufficient permissions for this endpoint.")
		return
	}
	var props []Property
	if isDB {
		if s.dbs[parentID].Archived {
			apiError(w, 400, "validation_error", "Can't edit block that is archived. You must unarchive the block before editing.")
			return
		}
		props = s.dbs[parentID].schema()
	} else {
		props = []Property{{Name: "title", Type: "title"}}
	}
	values, _ := req["properties"].(map[string]any)
	stored, title, msg := s.checkValues(props, values, isDB, parentID)
	if msg != "" {
		apiError(w, 400, "validation_error", "%s", msg)
		return
	}
	var children []any
	if c, ok := req["children"]; ok {
		children, _ = c.([]any)
		if msg := validateChildren("body.children", children, 1); msg != "" {
			apiError(w, 400, "validation_error", "body failed validation: %s", msg)
			return
		}
	}
	s.seq++
	p := &Page{ID: NewID(), Title: title, Parent: parentID, Properties: stored, order: s.seq}
	if icon, ok := req["icon"].(map[string]any); ok {
		if e, ok := icon["emoji"].(string); ok {
			p.Emoji = e
		}
	}
	s.pages[p.ID] = p
	for _, c := range children {
		if cm, ok := c.(map[string]any); ok {
			s.blocks[p.ID] = append(s.blocks[p.ID], s.storeBlock(p.ID, cm))
		}
	}
	writeJSON(w, 200, s.pageObject(p))
}

func (s *Server) updatePage(w http.ResponseWriter, r *http.Request, in Integration, rawID string) {
	id := Dashed(rawID)
	req, ok := readBody(w, r, updateKeys)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pages[id]
	if !ok || !s.canReach(in, id) {
		apiError(w, 404, "object_not_found", "Could not find page with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id)
		return
	}
	if in.NoInsert {
		apiError(w, 403, "restricted_resource", "Insufficient permissions for this endpoint.")
		return
	}
	trash, restore := req["archived"] == true || req["in_trash"] == true, req["archived"] == false || req["in_trash"] == false
	if p.Archived && !restore {
		apiError(w, 400, "validation_error", "Can't edit block that is archived. You must unarchive the block before editing.")
		return
	}
	d, inDB := s.dbs[p.Parent]
	props := []Property{{Name: "title", Type: "title"}}
	if inDB {
		props = d.schema()
	}
	if values, ok := req["properties"].(map[string]any); ok {
		stored, title, msg := s.checkValues(props, values, inDB, p.Parent)
		if msg != "" {
			apiError(w, 400, "validation_error", "%s", msg)
			return
		}
		if _, hasTitle := valuesHaveTitle(props, values); hasTitle {
			p.Title = title
		}
		if p.Properties == nil {
			p.Properties = map[string]any{}
		}
		for k, v := range stored {
			p.Properties[k] = v
		}
	}
	if trash {
		p.Archived = true
	} else if restore {
		p.Archived = false
	}
	writeJSON(w, 200, s.pageObject(p))
}

func valuesHaveTitle(props []Property, values map[string]any) (string, bool) {
	for k := range values {
		if prop, ok := findProperty(props, k); ok && prop.Type == "title" {
			return k, true
		}
	}
	return "", false
}

// checkValues validates property values of a create or update request as
// Notion does, returning the values to store by property name, the title's
// text, or the validation message. The caller holds s.mu.
func (s *Server) checkValues(props []Property, values map[string]any, inDB bool, dbID string) (map[string]any, string, string) {
	stored := map[string]any{}
	title := ""
	for key, raw := range values {
		prop, ok := findProperty(props, key)
		if !ok {
			if !inDB {
				return nil, "", fmt.Sprintf("body failed validation: body.properties.%s should be not present: a page outside a database has only a title.", key)
			}
			return nil, "", fmt.Sprintf("%s is not a property that exists.", key)
		}
		if readOnly[prop.Type] {
			return nil, "", fmt.Sprintf("%s is a %s property, which cannot be set.", prop.Name, prop.Type)
		}
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, "", fmt.Sprintf("%s is expected to be %s.", prop.Name, prop.Type)
		}
		v, ok := m[prop.Type]
		if !ok {
			return nil, "", fmt.Sprintf("%s is expected to be %s.", prop.Name, prop.Type)
		}
		for k := range m {
			if k != prop.Type && k != "type" && k != "id" {
				return nil, "", fmt.Sprintf("%s is expected to be %s.", prop.Name, prop.Type)
			}
		}
		path := "body.properties." + prop.Name + "." + prop.Type
		switch prop.Type {
		case "title", "rich_text":
			if msg := validateRichText(path, v); msg != "" {
				return nil, "", "body failed validation: " + msg
			}
			if prop.Type == "title" {
				title = valueString("title", readRichText(v))
			}
		case "number":
			if _, ok := v.(float64); !ok && v != nil {
				return nil, "", fmt.Sprintf("%s is expected to be number.", prop.Name)
			}
		case "checkbox":
			if _, ok := v.(bool); !ok {
				return nil, "", fmt.Sprintf("%s is expected to be checkbox.", prop.Name)
			}
		case "url", "email", "phone_number":
			str, isString := v.(string)
			if !isString && v != nil {
				return nil, "", fmt.Sprintf("%s is expected to be %s.", prop.Name, prop.Type)
			}
			if units(str) > limits.LinkURL {
				return nil, "", fmt.Sprintf("body failed validation: %s.length should be ≤ `%d`.", path, limits.LinkURL)
			}
		case "select", "status":
			if v == nil {
				break
			}
			o, _ := v.(map[string]any)
			if msg := s.checkOption(prop, o, dbID, path); msg != "" {
				return nil, "", msg
			}
		case "multi_select":
			items, ok := v.([]any)
			if !ok {
				return nil, "", fmt.Sprintf("%s is expected to be multi_select.", prop.Name)
			}
			for _, it := range items {
				o, _ := it.(map[string]any)
				if msg := s.checkOption(prop, o, dbID, path); msg != "" {
					return nil, "", msg
				}
			}
		case "date":
			if v == nil {
				break
			}
			d, _ := v.(map[string]any)
			start, _ := d["start"].(string)
			if !isoDate(start) {
				return nil, "", fmt.Sprintf("body failed validation: %s.start should be a valid ISO 8601 date string, instead was `%v`.", path, d["start"])
			}
			if end, ok := d["end"].(string); ok && !isoDate(end) {
				return nil, "", fmt.Sprintf("body failed validation: %s.end should be a valid ISO 8601 date string, instead was `%v`.", path, end)
			}
		case "relation", "people", "files":
			if _, ok := v.([]any); !ok {
				return nil, "", fmt.Sprintf("%s is expected to be %s.", prop.Name, prop.Type)
			}
		}
		if prop.Type != "title" {
			stored[prop.Name] = v
		}
	}
	return stored, title, ""
}

// checkOption validates a select, multi-select or status choice. A select
// or multi-select name the schema lacks becomes a new option, as in Notion;
// a status must be one the database has. The caller holds s.mu.
func (s *Server) checkOption(prop Property, o map[string]any, dbID, path string) string {
	if o == nil {
		return fmt.Sprintf("%s is expected to be %s.", prop.Name, prop.Type)
	}
	name, _ := o["name"].(string)
	id, _ := o["id"].(string)
	if id != "" && name == "" {
		for _, opt := range prop.Options {
			if optionID(opt.Name) == id {
				o["name"] = opt.Name
				return ""
			}
		}
		return fmt.Sprintf("body failed validation: %s.id: no option with ID %s.", path, id)
	}
	if name == "" {
		return fmt.Sprintf("body failed validation: %s.name should be defined, instead was `undefined`.", path)
	}
	if strings.Contains(name, ",") {
		return fmt.Sprintf("body failed validation: %s.name should not contain commas.", path)
	}
	if units(name) > 100 {
		return fmt.Sprintf("body failed validation: %s.name.length should be ≤ `100`.", path)
	}
	if slices.ContainsFunc(prop.Options, func(opt Option) bool { return opt.Name == name }) {
		return ""
	}
	if prop.Type == "status" {
		return fmt.Sprintf("Invalid status option. Status option \"%s\" does not exist for property \"%s\".", name, prop.Name)
	}
	if d, ok := s.dbs[dbID]; ok {
		for i := range d.Properties {
			if d.Properties[i].Name == prop.Name {
				d.Properties[i].Options = append(d.Properties[i].Options, Option{Name: name})
			}
		}
	}
	return ""
}
