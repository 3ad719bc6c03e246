package fakenotion

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
)

// The API versions the fake speaks, each strictly: a call from one
// version is answered as that version answers it, and refused where that
// version has no such call.
const (
	// Version20220628 knows databases only; a database with two or more
	// data sources fails every database call on it.
	Version20220628 = "2022-06-28"
	// Version20250903 moves schema, queries and page creation to data
	// sources, and adds views.
	Version20250903 = "2025-09-03"
	// Version20260311 renames an append's after to position (which can
	// also say start or end) and drops a block's archived for in_trash.
	// The fake speaks it on block children only.
	Version20260311 = "2026-03-11"
)

// multiSourceMessage is Notion's answer to a 2022-06-28 call on a
// database with several data sources.
const multiSourceMessage = "Databases with multiple data sources are not supported in this API version."

// DataSource is one of a database's data sources: its own schema and
// rows. Pages whose Parent is the data source are its rows.
type DataSource struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Properties is the schema, as a Database's is.
	Properties []Property `json:"properties,omitempty"`
	// Views are the IDs of the database's views that show this source,
	// as the ?v= of their addresses.
	Views []string `json:"views,omitempty"`
}

// singleSourceID is the data source ID of a database seeded without data
// sources: it has one, holding the database's own schema and rows.
func singleSourceID(databaseID string) string {
	sum := sha256.Sum256([]byte("data source of " + databaseID))
	return Dashed(hex.EncodeToString(sum[:16]))
}

// sourcesOf lists a database's data sources as the 2025-09-03 database
// object does. The caller holds s.mu.
func sourcesOf(d *Database) []map[string]any {
	if len(d.DataSources) == 0 {
		return []map[string]any{{"id": singleSourceID(d.ID), "name": d.Title}}
	}
	out := make([]map[string]any, len(d.DataSources))
	for i, ds := range d.DataSources {
		out[i] = map[string]any{"id": ds.ID, "name": ds.Name}
	}
	return out
}

// sourceRecord finds the stored schema and rows of a data source: the
// database itself for a single source, or the record kept for one of
// several. The caller holds s.mu.
func (s *Server) sourceRecord(id string) (*Database, bool) {
	if d, ok := s.dbs[id]; ok && d.sourceOf != "" {
		return d, true
	}
	for _, d := range s.dbs {
		if d.sourceOf == "" && len(d.DataSources) == 0 && singleSourceID(d.ID) == id {
			return d, true
		}
	}
	return nil, false
}

// container is the database a stored record belongs to: itself, or the
// database holding a data source. The caller holds s.mu.
func (s *Server) container(d *Database) *Database {
	if d.sourceOf != "" {
		return s.dbs[d.sourceOf]
	}
	return d
}

// multiSource reports a database with two or more data sources. The
// caller holds s.mu.
func multiSource(d *Database) bool { return len(d.DataSources) >= 2 }

// isMultiSource reports whether an ID names a database with two or more
// data sources.
func (s *Server) isMultiSource(rawID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.dbs[Dashed(rawID)]
	return ok && multiSource(d)
}

// addSources stores each data source of a seeded database as a record of
// its own, so rows and queries work on it as on a database. The caller
// holds s.mu or owns s.
func (s *Server) addSources(d *Database) {
	for _, ds := range d.DataSources {
		ds.ID = Dashed(ds.ID)
		s.dbs[ds.ID] = &Database{ID: ds.ID, Title: ds.Name, Parent: d.ID, Properties: cloneSchema(ds.Properties), sourceOf: d.ID}
	}
	for i := range d.DataSources {
		d.DataSources[i].ID = Dashed(d.DataSources[i].ID)
		d.DataSources[i].Properties = nil
	}
}

// dataSourceObject is a data source as 2025-09-03 returns it. The caller
// holds s.mu.
func (s *Server) dataSourceObject(id string, rec *Database) map[string]any {
	db := s.container(rec)
	return map[string]any{
		"object": "data_source", "id": id, "created_time": created, "last_edited_time": created,
		"created_by": partialUser(), "last_edited_by": partialUser(), "icon": icon(db.Emoji, db.IconURL),
		"parent":          map[string]any{"type": "database_id", "database_id": db.ID},
		"database_parent": s.parentObject(db.Parent),
		"title":           richText(rec.Title), "description": []any{},
		"properties": schemaObject(rec.schema()),
		"archived":   db.Archived, "in_trash": db.Archived, "is_inline": false,
		"url": URL(db.Title, db.ID), "public_url": nil, "request_id": NewID(),
	}
}

// retrieveSource answers GET /v1/data_sources/{id}.
func (s *Server) retrieveSource(w http.ResponseWriter, in Integration, rawID string) {
	id := Dashed(rawID)
	s.mu.Lock()
	rec, ok := s.sourceRecord(id)
	var obj map[string]any
	if ok && s.canReach(in, s.container(rec).ID) {
		obj = s.dataSourceObject(id, rec)
	}
	s.mu.Unlock()
	if obj == nil {
		apiError(w, 404, "object_not_found", "Could not find data_source with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id)
		return
	}
	writeJSON(w, 200, obj)
}

// querySource answers POST /v1/data_sources/{id}/query.
func (s *Server) querySource(w http.ResponseWriter, r *http.Request, in Integration, rawID string) {
	id := Dashed(rawID)
	s.mu.Lock()
	rec, ok := s.sourceRecord(id)
	s.mu.Unlock()
	if !ok {
		apiError(w, 404, "object_not_found", "Could not find data_source with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id)
		return
	}
	s.queryDatabase(w, r, in, rec.ID)
}

// retrieveView answers GET /v1/views/{id}: which data source a view shows.
func (s *Server) retrieveView(w http.ResponseWriter, in Integration, rawID string) {
	id := Dashed(rawID)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.dbs {
		for _, ds := range d.DataSources {
			if slices.ContainsFunc(ds.Views, func(v string) bool { return Dashed(v) == id }) && s.canReach(in, d.ID) {
				writeJSON(w, 200, map[string]any{
					"object": "view", "id": id, "parent": map[string]any{"type": "database_id", "database_id": d.ID},
					"data_source_id": ds.ID, "name": ds.Name, "type": "table", "request_id": NewID(),
				})
				return
			}
		}
	}
	apiError(w, 404, "object_not_found", "Could not find view with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id)
}

// refused finds the first block of a type the workspace refuses, at any
// depth, and returns Notion's message for it, or "". The caller holds s.mu.
func (s *Server) refused(path string, children []any) string {
	for i, c := range children {
		b, _ := c.(map[string]any)
		typ, _ := b["type"].(string)
		p := fmt.Sprintf("%s[%d]", path, i)
		if s.refuse[typ] {
			return "body failed validation: " + p + ".type should be a supported block type, instead was `\"" + typ + "\"`."
		}
		body, _ := b[typ].(map[string]any)
		if kids, ok := body["children"].([]any); ok {
			if msg := s.refused(p+"."+typ+".children", kids); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// Refuse makes the workspace refuse blocks of the given types, as a
// workspace without a newer block type does; none accepts every type again.
func (s *Server) Refuse(types ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = map[string]bool{}
	for _, t := range types {
		s.refuse[t] = true
	}
}
