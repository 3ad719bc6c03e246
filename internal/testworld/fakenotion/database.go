package fakenotion

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
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

// optionID is an option's stable ID, from its name.
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
			// A rollup sums a number through a relation: the schema's first
			// relation and first number, as the fake computes nothing.
			config = map[string]any{"function": "sum", "relation_property_name": "", "relation_property_id": "", "rollup_property_name": "", "rollup_property_id": ""}
			if i := slices.IndexFunc(props, func(q Property) bool { return q.Type == "relation" }); i >= 0 {
				config["relation_property_name"], config["relation_property_id"] = props[i].Name, propID(props[i])
			}
			if i := slices.IndexFunc(props, func(q Property) bool { return q.Type == "number" }); i >= 0 {
				config["rollup_property_name"], config["rollup_property_id"] = props[i].Name, propID(props[i])
			}
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
		switch stored, ok := p.Properties[prop.Name]; {
		case prop.Type == "title":
			v = titleValue(p, prop.Name)
		case prop.Type == "created_time":
			v = p.created()
		case prop.Type == "last_edited_time":
			v = p.edited()
		case ok:
			v = readValue(prop, stored)
		default:
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

// titleValue is the page's title as rich text: the rich text it was given,
// annotations and links kept, while that still reads as the page's Title.
func titleValue(p *Page, name string) any {
	if rt, ok := p.Properties[name]; ok {
		read := readRichText(rt)
		if plainText(read) == p.Title {
			return read
		}
	}
	return richText(p.Title)
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
		return readOption(prop, m)
	case "multi_select":
		items, _ := v.([]any)
		out := make([]any, 0, len(items))
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				out = append(out, readOption(prop, m))
			}
		}
		return out
	case "date":
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		return map[string]any{"start": m["start"], "end": m["end"], "time_zone": m["time_zone"]}
	case "people":
		items, _ := v.([]any)
		out := make([]any, 0, len(items))
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				u := map[string]any{"object": "user"}
				for k, v := range m {
					u[k] = v
				}
				out = append(out, u)
			}
		}
		return out
	case "relation", "files":
		if items, ok := v.([]any); ok {
			return items
		}
		return []any{}
	case "checkbox":
		return v == true
	}
	return v
}

// readOption is a stored choice, {"name": …} or {"id": …}, as the API
// shows it: with the ID and colour the schema gives it.
func readOption(prop Property, m map[string]any) map[string]any {
	name, _ := m["name"].(string)
	id, _ := m["id"].(string)
	for _, o := range prop.Options {
		if o.Name == name || name == "" && optionID(o.Name) == id {
			return optionObject(o)
		}
	}
	return optionObject(Option{Name: name})
}

// storeSeedValues takes the values a seed gives a page, keyed by property
// name or ID, each as Notion's page property value ({"select": {...}}) or
// as the value alone, and keeps the value alone by property name. Values
// are copied through JSON, so Go seeds may use ints and typed slices. A
// title value names the page when the seed gives no Title. The caller owns
// s.
func storeSeedValues(p *Page, d *Database) {
	if len(p.Properties) == 0 {
		return
	}
	values := jsonCopy(p.Properties)
	props := []Property{{Name: "title", Type: "title"}}
	if d != nil {
		props = d.schema()
	}
	stored := map[string]any{}
	for name, raw := range values {
		prop, ok := findProperty(props, name)
		if !ok {
			continue
		}
		v := raw
		if m, ok := raw.(map[string]any); ok {
			if inner, ok := m[prop.Type]; ok {
				v = inner
			}
		}
		if prop.Type == "title" && p.Title == "" {
			p.Title = plainText(readRichText(v))
		}
		stored[prop.Name] = v
	}
	p.Properties = stored
}

// jsonCopy copies values through JSON, into the shapes a decoded request
// has: numbers as float64, arrays as []any, objects as map[string]any.
func jsonCopy(values map[string]any) map[string]any {
	raw, err := json.Marshal(values)
	if err != nil {
		return values
	}
	out := map[string]any{}
	if json.Unmarshal(raw, &out) != nil {
		return values
	}
	return out
}

// plainText joins the plain_text of rich text as the API shows it.
func plainText(v any) string {
	var b strings.Builder
	switch items := v.(type) {
	case []any:
		for _, it := range items {
			m, _ := it.(map[string]any)
			t, _ := m["plain_text"].(string)
			b.WriteString(t)
		}
	case []map[string]any:
		for _, m := range items {
			t, _ := m["plain_text"].(string)
			b.WriteString(t)
		}
	}
	return b.String()
}

// jsonText writes a value as Notion's messages quote it.
func jsonText(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(raw)
}

// bad is a validation message about the request body.
func bad(format string, args ...any) string {
	return "body failed validation: " + fmt.Sprintf(format, args...)
}

// isID reports whether s is a Notion ID, dashed or bare.
func isID(s string) bool {
	return Dashed(s) != s || len(s) == 36 && Dashed(strings.ReplaceAll(s, "-", "")) == s
}

// readBody reads a JSON object body, refusing keys Notion does not take
// as Notion does; it reports false once it has answered. An empty body is
// an empty object.
func readBody(w http.ResponseWriter, r *http.Request, allowed map[string]bool) (map[string]any, bool) {
	body, _ := io.ReadAll(r.Body)
	if len(body) > maxPayloadBytes {
		apiError(w, 413, "payload_too_large", "Request body too large.")
		return nil, false
	}
	req := map[string]any{}
	if len(body) > 0 && json.Unmarshal(body, &req) != nil {
		apiError(w, 400, "invalid_json", "Error parsing JSON body.")
		return nil, false
	}
	for _, k := range sortedKeys(req) {
		if !allowed[k] {
			apiError(w, 400, "validation_error", "%s", bad("body.%s should be not present, instead was `%s`.", k, jsonText(req[k])))
			return nil, false
		}
	}
	return req, true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ---- Pages: create and update ----------------------------------------------

var createKeys = set("parent", "properties", "children", "icon", "cover")
var updateKeys = set("properties", "archived", "in_trash", "icon", "cover")

// readOnly are property types whose values Notion computes.
var readOnly = set("formula", "rollup", "created_time", "created_by", "last_edited_time", "last_edited_by", "unique_id", "verification", "button")

const archivedMessage = "Can't edit block that is archived. You must unarchive the block before editing."

// createPage answers POST /v1/pages: a page under a database, with
// property values checked against its schema, or under a page, with a
// title only.
func (s *Server) createPage(w http.ResponseWriter, r *http.Request, in Integration, legacy bool) {
	req, ok := readBody(w, r, createKeys)
	if !ok {
		return
	}
	parentID, key, msg := readParent(req["parent"], legacy)
	underDB := key != "page_id"
	if msg == "" {
		if _, ok := req["properties"]; !ok {
			msg = bad("body.properties should be defined, instead was `undefined`.")
		}
	}
	var children []any
	if c, ok := req["children"]; ok && msg == "" {
		if children, ok = c.([]any); !ok {
			msg = bad("body.children should be an array, instead was `%s`.", jsonText(c))
		} else {
			msg = checkChildren(children)
		}
	}
	look, msg2 := readLook(req)
	if msg == "" {
		msg = msg2
	}
	if msg != "" {
		apiError(w, 400, "validation_error", "%s", msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if msg := s.refused("body.children", children); msg != "" {
		apiError(w, 400, "validation_error", "%s", msg)
		return
	}
	db, isDB := s.dbs[parentID]
	isDB = isDB && db.sourceOf == ""
	if key == "data_source_id" {
		db, isDB = s.sourceRecord(parentID)
	}
	if isDB && multiSource(db) {
		// A database_id parent cannot say which data source to use.
		m := multiSourceMessage
		if !legacy {
			m = "body.parent: this database has several data sources; give the one to use as data_source_id."
		}
		apiError(w, 400, "validation_error", "%s", m)
		return
	}
	page, isPage := s.pages[parentID]
	reachID := parentID
	if underDB && isDB {
		reachID = db.ID
	}
	if underDB && !isDB || !underDB && !isPage || !s.canReach(in, reachID) {
		what := strings.TrimSuffix(key, "_id")
		apiError(w, 404, "object_not_found", "Could not find %s with ID: %s. Make sure the relevant pages and databases are shared with your integration.", what, parentID)
		return
	}
	if in.NoInsert {
		apiError(w, 403, "restricted_resource", "Insufficient permissions for this endpoint.")
		return
	}
	if underDB && s.container(db).Archived || !underDB && page.Archived {
		apiError(w, 400, "validation_error", archivedMessage)
		return
	}
	props := []Property{{Name: "title", Type: "title"}}
	if underDB {
		props = db.schema()
	}
	vals, msg := checkValues(props, req["properties"], underDB)
	if msg != "" {
		apiError(w, 400, "validation_error", "%s", msg)
		return
	}
	s.seq++
	t := now()
	parent := parentID
	if underDB {
		// Rows belong to the record holding the data source's schema.
		parent = db.ID
	}
	p := &Page{ID: NewID(), Parent: parent, Properties: map[string]any{}, order: s.seq, createdAt: t, editedAt: t}
	s.apply(p, db, vals)
	look.apply(p)
	s.pages[p.ID] = p
	for _, c := range children {
		if cm, ok := c.(map[string]any); ok {
			s.blocks[p.ID] = append(s.blocks[p.ID], s.storeBlock(p.ID, cm))
		}
	}
	if !underDB {
		// A page made inside a page shows at the end of its parent as a
		// child_page block with the page's ID.
		s.blocks[parentID] = append(s.blocks[parentID], s.storeBlock(parentID, block("child_page", map[string]any{"title": p.Title}, p.ID)))
	}
	writeJSON(w, 200, s.pageObject(p))
}

// readParent reads a new page's parent: a database, a data source (on
// 2025-09-03) or a page, returning its ID and key.
func readParent(v any, legacy bool) (id, key, msg string) {
	if v == nil {
		return "", "", bad("body.parent should be defined, instead was `undefined`.")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", "", bad("body.parent should be an object, instead was `%s`.", jsonText(v))
	}
	keys := []string{"database_id", "page_id"}
	if !legacy {
		keys = append(keys, "data_source_id")
	}
	for _, k := range sortedKeys(m) {
		if k != "type" && !slices.Contains(keys, k) {
			return "", "", bad("body.parent.%s should be not present, instead was `%s`.", k, jsonText(m[k]))
		}
	}
	var given []string
	for _, k := range keys {
		if _, ok := m[k]; ok {
			given = append(given, k)
		}
	}
	switch len(given) {
	case 0:
		return "", "", bad("body.parent.database_id should be defined, instead was `undefined`.")
	case 1:
		key = given[0]
	default:
		return "", "", bad("body.parent should hold one of %s, not several.", strings.Join(keys, ", "))
	}
	if t, ok := m["type"]; ok && t != key {
		return "", "", bad("body.parent.type should be `%q`, instead was `%s`.", key, jsonText(t))
	}
	str, _ := m[key].(string)
	if !isID(str) {
		return "", "", bad("body.parent.%s should be a valid uuid, instead was `%s`.", key, jsonText(m[key]))
	}
	return Dashed(str), key, ""
}

// look is a request's icon and cover, each set when the request gave it
// (null clears it).
type look struct {
	setIcon, setCover bool
	emoji, iconURL    string
	cover             any
}

func (l look) apply(p *Page) {
	if l.setIcon {
		p.Emoji, p.IconURL = l.emoji, l.iconURL
	}
	if l.setCover {
		p.cover = l.cover
	}
}

// readLook reads a create or update request's icon and cover.
func readLook(req map[string]any) (look, string) {
	var l look
	if v, ok := req["icon"]; ok {
		l.setIcon = true
		if v != nil {
			m, _ := v.(map[string]any)
			emoji, _ := m["emoji"].(string)
			ext, _ := m["external"].(map[string]any)
			u, _ := ext["url"].(string)
			switch {
			case emoji != "" && (m["type"] == nil || m["type"] == "emoji"):
				l.emoji = emoji
			case u != "" && (m["type"] == nil || m["type"] == "external"):
				l.iconURL = u
			default:
				return l, bad("body.icon should be an emoji or an external file, instead was `%s`.", jsonText(v))
			}
		}
	}
	if v, ok := req["cover"]; ok {
		l.setCover = true
		if v != nil {
			m, _ := v.(map[string]any)
			ext, _ := m["external"].(map[string]any)
			u, _ := ext["url"].(string)
			if u == "" || m["type"] != nil && m["type"] != "external" {
				return l, bad("body.cover should be an external file, instead was `%s`.", jsonText(v))
			}
			l.cover = map[string]any{"type": "external", "external": map[string]any{"url": u}}
		}
	}
	return l, ""
}

// updatePage answers PATCH /v1/pages/{id}: property values, icon, cover,
// and moving the page to the trash or back.
func (s *Server) updatePage(w http.ResponseWriter, r *http.Request, in Integration, rawID string) {
	id := Dashed(rawID)
	req, ok := readBody(w, r, updateKeys)
	if !ok {
		return
	}
	for _, k := range []string{"archived", "in_trash"} {
		if v, ok := req[k]; ok {
			if _, isBool := v.(bool); !isBool {
				apiError(w, 400, "validation_error", "%s", bad("body.%s should be a boolean, instead was `%s`.", k, jsonText(v)))
				return
			}
		}
	}
	look, msg := readLook(req)
	if msg != "" {
		apiError(w, 400, "validation_error", "%s", msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pages[id]
	if !ok || !s.canReach(in, id) {
		if _, isDB := s.dbs[id]; isDB && s.canReach(in, id) {
			apiError(w, 400, "validation_error", "Provided ID %s is a database, not a page. Use the update database API instead.", id)
			return
		}
		apiError(w, 404, "object_not_found", "Could not find page with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id)
		return
	}
	if in.NoInsert {
		apiError(w, 403, "restricted_resource", "Insufficient permissions for this endpoint.")
		return
	}
	trash := req["archived"] == true || req["in_trash"] == true
	restore := !trash && (req["archived"] == false || req["in_trash"] == false)
	if p.Archived && !restore {
		apiError(w, 400, "validation_error", archivedMessage)
		return
	}
	d, inDB := s.dbs[p.Parent]
	props := []Property{{Name: "title", Type: "title"}}
	if inDB {
		props = d.schema()
	}
	var vals values
	if v, ok := req["properties"]; ok {
		if vals, msg = checkValues(props, v, inDB); msg != "" {
			apiError(w, 400, "validation_error", "%s", msg)
			return
		}
	}
	if p.Properties == nil {
		p.Properties = map[string]any{}
	}
	s.apply(p, d, vals)
	look.apply(p)
	switch {
	case trash:
		p.Archived = true
	case restore:
		p.Archived = false
	}
	p.editedAt = now()
	writeJSON(w, 200, s.pageObject(p))
}

// values are checked property values, ready to apply.
type values struct {
	// stored holds each value as the page keeps it, by property name.
	stored map[string]any
	// title is the new title's text, when the request gave one.
	title *string
	// options are select and multi-select options the request named
	// that the schema lacks, by property name; Notion adds them.
	options map[string][]Option
}

// apply sets checked values on a page, adding new options to the
// database's schema. The caller holds s.mu.
func (s *Server) apply(p *Page, d *Database, v values) {
	for name, val := range v.stored {
		p.Properties[name] = val
	}
	if v.title != nil {
		p.Title = *v.title
	}
	if d == nil {
		return
	}
	for i := range d.Properties {
		for _, o := range v.options[d.Properties[i].Name] {
			if !slices.ContainsFunc(d.Properties[i].Options, func(x Option) bool { return x.Name == o.Name }) {
				d.Properties[i].Options = append(d.Properties[i].Options, o)
			}
		}
	}
}

// checkValues validates the properties of a create or update request as
// Notion does, returning the values to apply or the validation message.
// Keys are checked in order, so the message is the same on every run.
func checkValues(props []Property, raw any, inDB bool) (values, string) {
	out := values{stored: map[string]any{}, options: map[string][]Option{}}
	req, ok := raw.(map[string]any)
	if !ok {
		return out, bad("body.properties should be an object, instead was `%s`.", jsonText(raw))
	}
	for _, key := range sortedKeys(req) {
		prop, ok := findProperty(props, key)
		if !ok {
			if !inDB {
				return out, bad("body.properties.%s should be not present: a page outside a database has only a title.", key)
			}
			return out, fmt.Sprintf("%s is not a property that exists.", key)
		}
		if readOnly[prop.Type] {
			return out, fmt.Sprintf("%s is a %s property, which cannot be set.", prop.Name, prop.Type)
		}
		expected := fmt.Sprintf("%s is expected to be %s.", prop.Name, prop.Type)
		m, ok := req[key].(map[string]any)
		if !ok {
			return out, expected
		}
		v, ok := m[prop.Type]
		if !ok {
			return out, expected
		}
		for k, x := range m {
			if k != prop.Type && k != "id" && (k != "type" || x != prop.Type) {
				return out, expected
			}
		}
		path := "body.properties." + prop.Name + "." + prop.Type
		stored, msg := checkValue(prop, v, path, &out)
		if msg != "" {
			return out, msg
		}
		out.stored[prop.Name] = stored
		if prop.Type == "title" {
			t := plainText(readRichText(v))
			out.title = &t
		}
	}
	return out, ""
}

// checkValue checks one property's value, returning it as the page keeps
// it, or the validation message.
func checkValue(prop Property, v any, path string, out *values) (any, string) {
	expected := fmt.Sprintf("%s is expected to be %s.", prop.Name, prop.Type)
	switch prop.Type {
	case "title", "rich_text":
		if _, ok := v.([]any); !ok {
			return nil, expected
		}
		if msg := validateRichText(path, v); msg != "" {
			return nil, "body failed validation: " + msg
		}
		return v, ""
	case "number":
		if _, ok := v.(float64); !ok && v != nil {
			return nil, expected
		}
		return v, ""
	case "checkbox":
		if _, ok := v.(bool); !ok {
			return nil, expected
		}
		return v, ""
	case "url", "email", "phone_number":
		str, isString := v.(string)
		if !isString && v != nil {
			return nil, expected
		}
		if units(str) > maxLinkURL {
			return nil, bad("%s.length should be ≤ `%d`, instead was `%d`.", path, maxLinkURL, units(str))
		}
		return v, ""
	case "select", "status":
		if v == nil {
			return nil, ""
		}
		o, newOpt, msg := checkOption(prop, v, path)
		if msg != "" {
			return nil, msg
		}
		if newOpt != nil {
			out.options[prop.Name] = append(out.options[prop.Name], *newOpt)
		}
		return o, ""
	case "multi_select":
		items, ok := v.([]any)
		if !ok {
			return nil, expected
		}
		stored := make([]any, 0, len(items))
		for i, it := range items {
			o, newOpt, msg := checkOption(prop, it, fmt.Sprintf("%s[%d]", path, i))
			if msg != "" {
				return nil, msg
			}
			if newOpt != nil {
				out.options[prop.Name] = append(out.options[prop.Name], *newOpt)
			}
			stored = append(stored, o)
		}
		return stored, ""
	case "date":
		if v == nil {
			return nil, ""
		}
		return checkDate(v, path, expected)
	case "people", "relation":
		items, ok := v.([]any)
		if !ok {
			return nil, expected
		}
		if prop.Type == "relation" && len(items) > maxRichTextItems {
			return nil, bad("%s.length should be ≤ `%d`, instead was `%d`.", path, maxRichTextItems, len(items))
		}
		stored := make([]any, 0, len(items))
		for i, it := range items {
			m, _ := it.(map[string]any)
			id, _ := m["id"].(string)
			if !isID(id) {
				return nil, bad("%s[%d].id should be a valid uuid, instead was `%s`.", path, i, jsonText(m["id"]))
			}
			if prop.Type == "people" {
				stored = append(stored, map[string]any{"object": "user", "id": Dashed(id)})
			} else {
				stored = append(stored, map[string]any{"id": Dashed(id)})
			}
		}
		return stored, ""
	case "files":
		if _, ok := v.([]any); !ok {
			return nil, expected
		}
		return v, ""
	}
	return v, ""
}

// checkDate checks a date value: {start, end?, time_zone?} with ISO dates.
func checkDate(v any, path, expected string) (any, string) {
	d, ok := v.(map[string]any)
	if !ok {
		return nil, expected
	}
	for _, k := range sortedKeys(d) {
		if k != "start" && k != "end" && k != "time_zone" {
			return nil, bad("%s.%s should be not present, instead was `%s`.", path, k, jsonText(d[k]))
		}
	}
	start, _ := d["start"].(string)
	if !isoDate(start) {
		return nil, bad("%s.start should be a valid ISO 8601 date string, instead was `%s`.", path, jsonText(d["start"]))
	}
	stored := map[string]any{"start": start}
	if end, ok := d["end"]; ok && end != nil {
		e, _ := end.(string)
		if !isoDate(e) {
			return nil, bad("%s.end should be a valid ISO 8601 date string, instead was `%s`.", path, jsonText(end))
		}
		stored["end"] = e
	}
	if tz, ok := d["time_zone"]; ok && tz != nil {
		name, _ := tz.(string)
		if _, err := time.LoadLocation(name); err != nil || name == "" {
			return nil, bad("%s.time_zone should be a valid time zone, instead was `%s`.", path, jsonText(tz))
		}
		stored["time_zone"] = name
	}
	return stored, ""
}

// checkOption checks a select, multi-select or status choice, given by ID
// or name, returning it as the page keeps it ({"name": …}). A select or
// multi-select name the schema lacks comes back as a new option, as
// Notion adds it; a status must be one the database has.
func checkOption(prop Property, v any, path string) (map[string]any, *Option, string) {
	o, ok := v.(map[string]any)
	if !ok {
		return nil, nil, fmt.Sprintf("%s is expected to be %s.", prop.Name, prop.Type)
	}
	for _, k := range sortedKeys(o) {
		if k != "id" && k != "name" && k != "color" {
			return nil, nil, bad("%s.%s should be not present, instead was `%s`.", path, k, jsonText(o[k]))
		}
	}
	name, _ := o["name"].(string)
	if id, ok := o["id"]; ok && name == "" {
		idText, _ := id.(string)
		for _, opt := range prop.Options {
			if optionID(opt.Name) == idText {
				return map[string]any{"name": opt.Name}, nil, ""
			}
		}
		return nil, nil, bad("%s.id should be the ID of an option of %s, instead was `%s`.", path, prop.Name, jsonText(id))
	}
	if name == "" {
		return nil, nil, bad("%s.name should be defined, instead was `undefined`.", path)
	}
	if strings.Contains(name, ",") {
		return nil, nil, bad("%s.name should not contain commas.", path)
	}
	if units(name) > 100 {
		return nil, nil, bad("%s.name.length should be ≤ `100`, instead was `%d`.", path, units(name))
	}
	stored := map[string]any{"name": name}
	if slices.ContainsFunc(prop.Options, func(opt Option) bool { return opt.Name == name }) {
		return stored, nil, ""
	}
	if prop.Type == "status" {
		return nil, nil, fmt.Sprintf("Invalid status option. Status option \"%s\" does not exist for property \"%s\".", name, prop.Name)
	}
	color, _ := o["color"].(string)
	return stored, &Option{Name: name, Color: color}, ""
}
