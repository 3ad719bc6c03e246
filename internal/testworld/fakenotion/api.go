package fakenotion

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// created is the fixed creation time of every seeded object.
var created = time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)

// API returns the handler for api.notion.com.
func (s *Server) API() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := s.record(r)
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.applyDue()
		if f, ok := s.takeFault(r); ok && s.fault(w, r, f, body) {
			return
		}
		if s.overRate() {
			refuseRate(w)
			return
		}
		s.serveAPI(w, r)
	})
}

// fault applies f and reports whether the request has been answered.
func (s *Server) fault(w http.ResponseWriter, r *http.Request, f Fault, sent []byte) bool {
	if f.DelayMS > 0 {
		select {
		case <-time.After(time.Duration(f.DelayMS) * time.Millisecond):
		case <-r.Context().Done():
			return true
		}
	}
	if f.Reset {
		if f.AfterApply {
			s.serveAPI(httpDiscard{}, r)
		}
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	}
	if f.Status == 0 {
		return false
	}
	if f.AfterApply {
		s.applyLater(r, sent, time.Duration(f.ApplyAfterMS)*time.Millisecond)
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	code, message := faultCodes[f.Status], fmt.Sprintf("Injected failure %d.", f.Status)
	if f.Code != "" {
		code = f.Code
	}
	if f.Message != "" {
		message = f.Message
	}
	body := errorBody(f.Status, code, message)
	if f.RateLimitReason != "" {
		body["additional_data"] = map[string]any{"rate_limit_reason": f.RateLimitReason}
	}
	writeJSON(w, f.Status, body)
	return true
}

// applyLater applies a request after d, or at once when d is 0. Every
// request that reaches the fake later than d applies it first, so a
// request sent after the wait always sees it, whatever the timer does.
func (s *Server) applyLater(r *http.Request, body []byte, d time.Duration) {
	req := r.Clone(context.WithoutCancel(r.Context()))
	apply := sync.OnceFunc(func() {
		req.Body = io.NopCloser(bytes.NewReader(body))
		s.serveAPI(httpDiscard{}, req)
	})
	if d <= 0 {
		apply()
		return
	}
	s.mu.Lock()
	s.pending = append(s.pending, delayed{at: time.Now().Add(d), apply: apply})
	s.mu.Unlock()
	time.AfterFunc(d, s.applyDue)
}

// applyDue applies the requests whose time has come, in order. A request
// arriving while the timer applies one waits for it to be done.
func (s *Server) applyDue() {
	s.applying.Lock()
	defer s.applying.Unlock()
	s.mu.Lock()
	var due []func()
	now := time.Now()
	for len(s.pending) > 0 && !s.pending[0].at.After(now) {
		due = append(due, s.pending[0].apply)
		s.pending = s.pending[1:]
	}
	s.mu.Unlock()
	for _, apply := range due {
		apply()
	}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	in, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 2 || parts[0] != "v1" {
		apiError(w, 400, "invalid_request_url", "Invalid request URL.")
		return
	}
	version := r.Header.Get("Notion-Version")
	legacy := version == Version20220628
	blockChildren := len(parts) == 4 && parts[1] == "blocks" && parts[3] == "children"
	markdown := r.Method == http.MethodGet && len(parts) == 4 && parts[1] == "pages" && parts[3] == "markdown"
	if version == Version20260311 && !blockChildren && !markdown {
		apiError(w, 400, "validation_error", "The fake speaks Notion-Version %s only on block children; send %s here.", Version20260311, Version20250903)
		return
	}
	switch {
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "v1" && parts[1] == "users" && parts[2] == "me" && in.Person:
		// A personal access token answers with the person who made it.
		writeJSON(w, 200, map[string]any{
			"object": "user", "id": botID(in), "name": in.Name, "avatar_url": nil, "type": "person",
			"person": map[string]any{"email": in.Email}, "request_id": NewID(),
		})
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "v1" && parts[1] == "users" && parts[2] == "me":
		writeJSON(w, 200, map[string]any{
			"object": "user", "id": botID(in), "name": in.Name, "avatar_url": nil, "type": "bot",
			"bot":        map[string]any{"owner": map[string]any{"type": "workspace", "workspace": true}, "workspace_name": in.Workspace},
			"request_id": NewID(),
		})
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "v1" && parts[1] == "pages":
		s.retrieve(w, in, parts[2], false, legacy)
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "v1" && parts[1] == "databases":
		s.retrieve(w, in, parts[2], true, legacy)
	case legacy && r.Method == http.MethodPost && len(parts) == 4 && parts[0] == "v1" && parts[1] == "databases" && parts[3] == "query":
		if s.isMultiSource(parts[2]) {
			apiError(w, 400, "validation_error", multiSourceMessage)
			return
		}
		s.queryDatabase(w, r, in, parts[2])
	case !legacy && r.Method == http.MethodGet && len(parts) == 3 && parts[1] == "data_sources":
		s.retrieveSource(w, in, parts[2])
	case !legacy && r.Method == http.MethodPost && len(parts) == 4 && parts[1] == "data_sources" && parts[3] == "query":
		s.querySource(w, r, in, parts[2])
	case !legacy && r.Method == http.MethodGet && len(parts) == 3 && parts[1] == "views":
		s.retrieveView(w, in, parts[2])
	case r.Method == http.MethodPost && len(parts) == 2 && parts[0] == "v1" && parts[1] == "pages":
		s.createPage(w, r, in, legacy)
	case r.Method == http.MethodPatch && len(parts) == 3 && parts[0] == "v1" && parts[1] == "pages":
		s.updatePage(w, r, in, parts[2])
	case markdown:
		s.markdownPage(w, in, parts[2], version)
	case blockChildren:
		s.children(w, r, in, parts[2], version)
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "v1" && parts[1] == "blocks":
		s.retrieveBlock(w, in, parts[2])
	case r.Method == http.MethodDelete && len(parts) == 3 && parts[0] == "v1" && parts[1] == "blocks":
		s.deleteBlock(w, in, parts[2])
	case r.Method == http.MethodPatch && len(parts) == 3 && parts[0] == "v1" && parts[1] == "blocks":
		s.updateBlock(w, r, in, parts[2])
	default:
		apiError(w, 400, "invalid_request_url", "Invalid request URL.")
	}
}

// authenticate checks the secret and the version header as Notion does.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (Integration, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	var in Integration
	found := false
	for _, i := range s.integrations {
		if ok && token == i.Secret {
			in, found = i, true
		}
	}
	s.mu.Unlock()
	if !found {
		apiError(w, 401, "unauthorized", "API token is invalid.")
		return in, false
	}
	switch v := r.Header.Get("Notion-Version"); v {
	case "":
		apiError(w, 400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.")
		return in, false
	case Version20220628, Version20250903, Version20260311:
	default:
		apiError(w, 400, "validation_error", "Notion-Version header failed validation: Notion-Version header should be one of `%s`, `%s` or `%s`, instead was `%q`.", Version20220628, Version20250903, Version20260311, v)
		return in, false
	}
	if in.NoRead {
		apiError(w, 403, "restricted_resource", "Insufficient permissions for this endpoint.")
		return in, false
	}
	return in, true
}

// botID is stable per integration, as a real bot's ID is.
func botID(in Integration) string {
	sum := sha256.Sum256([]byte(in.Secret))
	return Dashed(hex.EncodeToString(sum[:16]))
}

// retrieve answers GET /v1/pages/{id} (database false) and
// GET /v1/databases/{id} (database true), refusing an ID of the other kind
// as Notion does. A database answers in the shape of the version asked
// for: with its schema on 2022-06-28 (refused when it has several data
// sources), with its data sources on 2025-09-03.
func (s *Server) retrieve(w http.ResponseWriter, in Integration, rawID string, database, legacy bool) {
	id := Dashed(rawID)
	s.mu.Lock()
	p, isPage := s.pages[id]
	d, isDB := s.dbs[id]
	isDB = isDB && d.sourceOf == ""
	reach := (isPage || isDB) && s.canReach(in, id)
	var obj map[string]any
	multi := false
	switch {
	case reach && isPage && !database:
		obj = s.pageObject(p)
	case reach && isDB && database && legacy:
		multi = multiSource(d)
		obj = s.databaseObject(d)
	case reach && isDB && database:
		obj = s.databaseObject(d)
		delete(obj, "properties")
		obj["data_sources"] = sourcesOf(d)
	}
	s.mu.Unlock()
	if multi {
		apiError(w, 400, "validation_error", multiSourceMessage)
		return
	}
	want, other, api := "page", "database", "database"
	if database {
		want, other, api = "database", "page", "page"
	}
	switch {
	case obj != nil:
		writeJSON(w, 200, obj)
	case reach:
		apiError(w, 400, "validation_error", "Provided ID %s is a %s, not a %s. Use the retrieve %s API instead.", id, other, want, api)
	default:
		apiError(w, 404, "object_not_found", "Could not find %s with ID: %s. Make sure the relevant pages and databases are shared with your integration.", want, id)
	}
}

func richText(s string) []map[string]any {
	if s == "" {
		return []map[string]any{}
	}
	return []map[string]any{{
		"type": "text", "text": map[string]any{"content": s, "link": nil},
		"annotations": map[string]any{"bold": false, "italic": false, "strikethrough": false, "underline": false, "code": false, "color": "default"},
		"plain_text":  s, "href": nil,
	}}
}

func icon(emoji, url string) any {
	switch {
	case emoji != "":
		return map[string]any{"type": "emoji", "emoji": emoji}
	case url != "":
		return map[string]any{"type": "external", "external": map[string]any{"url": url}}
	}
	return nil
}

// parentObject is Notion's parent field for an object held by id: a
// database, a page, a block, or with no id the workspace. The caller holds
// s.mu or owns s.
func (s *Server) parentObject(id string) map[string]any {
	if d, ok := s.dbs[id]; ok && d.sourceOf != "" {
		return map[string]any{"type": "data_source_id", "data_source_id": id, "database_id": d.sourceOf}
	}
	if _, ok := s.dbs[id]; ok {
		return map[string]any{"type": "database_id", "database_id": id}
	}
	if _, ok := s.pages[id]; ok {
		return map[string]any{"type": "page_id", "page_id": id}
	}
	if id != "" {
		return map[string]any{"type": "block_id", "block_id": id}
	}
	return map[string]any{"type": "workspace", "workspace": true}
}

func partialUser() map[string]any {
	return map[string]any{"object": "user", "id": "c2f20311-9e54-4d11-8c79-7398424ae41e"}
}

// URL is the www.notion.so address of an object with this title and ID.
func URL(title, id string) string {
	slug := strings.Join(strings.FieldsFunc(title, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}), "-")
	bare := strings.ReplaceAll(id, "-", "")
	if slug == "" {
		return "https://www.notion.so/" + bare
	}
	return "https://www.notion.so/" + slug + "-" + bare
}

// titleProperty is the name of every database's title property, and so of
// the title property of the pages in a database.
const titleProperty = "Name"

// pageObject is a page as Notion returns it. The caller holds s.mu.
func (s *Server) pageObject(p *Page) map[string]any {
	parent := s.parentObject(p.Parent)
	props := map[string]any{
		"title": map[string]any{"id": "title", "type": "title", "title": titleValue(p, "title")},
	}
	if d, ok := s.dbs[p.Parent]; ok {
		props = s.rowValues(p, d)
	}
	return map[string]any{
		"object": "page", "id": p.ID, "created_time": p.created(), "last_edited_time": p.edited(),
		"created_by": partialUser(), "last_edited_by": partialUser(), "cover": p.cover, "icon": icon(p.Emoji, p.IconURL),
		"parent":   parent,
		"archived": p.Archived, "in_trash": p.Archived,
		"properties": props,
		"url":        URL(p.Title, p.ID), "public_url": nil, "request_id": NewID(),
	}
}

// created and edited are the page's times: the seed's for a seeded page.
func (p *Page) created() time.Time {
	if p.createdAt.IsZero() {
		return created
	}
	return p.createdAt
}

func (p *Page) edited() time.Time {
	if p.editedAt.IsZero() {
		return p.created()
	}
	return p.editedAt
}

// now is the time of a change as Notion keeps it, to the minute, and never
// before the seeded objects were made.
func now() time.Time {
	t := time.Now().UTC().Truncate(time.Minute)
	if t.Before(created) {
		return created
	}
	return t
}

// databaseObject is a database as Notion returns it. The caller holds s.mu.
func (s *Server) databaseObject(d *Database) map[string]any {
	return map[string]any{
		"object": "database", "id": d.ID, "created_time": created, "last_edited_time": created,
		"created_by": partialUser(), "last_edited_by": partialUser(), "cover": nil, "icon": icon(d.Emoji, d.IconURL),
		"parent": s.parentObject(d.Parent),
		"title":  richText(d.Title), "description": []any{},
		"properties": schemaObject(d.schema()),
		"archived":   d.Archived, "in_trash": d.Archived, "is_inline": false,
		"url": URL(d.Title, d.ID), "public_url": nil, "request_id": NewID(),
	}
}

// canReach reports whether the token may see a page, database or block:
// for an integration, one shared with it, or held by one that is; for a
// person, one that is not, and is not held by, someone else's private
// page. The caller holds s.mu.
func (s *Server) canReach(in Integration, id string) bool {
	// The walk is bounded, as seeds sent to the control API may hold a cycle.
	for range 100 {
		var connected []string
		var private string
		if p, ok := s.pages[id]; ok {
			connected, private, id = p.Connected, p.Private, p.Parent
		} else if d, ok := s.dbs[id]; ok {
			connected, private, id = d.Connected, d.Private, d.Parent
		} else if id = s.blockParent(id); id == "" {
			// Nothing by that ID: no one can see it.
			return false
		}
		switch {
		case in.Person && private != "" && private != in.Name:
			return false
		case !in.Person && slices.Contains(connected, in.Name):
			return true
		case id == "":
			return in.Person
		}
	}
	return false
}

// blockParent is the ID of the page or block holding a block, or "". The
// caller holds s.mu.
func (s *Server) blockParent(id string) string {
	for parent, kids := range s.blocks {
		for _, b := range kids {
			if b["id"] == id {
				return parent
			}
		}
	}
	return ""
}

func (s *Server) children(w http.ResponseWriter, r *http.Request, in Integration, rawID, version string) {
	id := Dashed(rawID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.canReach(in, id) {
		blockNotFound(w, id)
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.listChildren(w, r, id, version)
	case http.MethodPatch:
		if in.NoInsert {
			apiError(w, 403, "restricted_resource", "Insufficient permissions for this endpoint.")
			return
		}
		if p, ok := s.pages[id]; ok && p.Archived {
			apiError(w, 400, "validation_error", "Can't edit block that is archived. You must unarchive the block before editing.")
			return
		}
		s.appendChildren(w, r, id, version)
	default:
		apiError(w, 400, "invalid_request_url", "Invalid request URL.")
	}
}

func (s *Server) listChildren(w http.ResponseWriter, r *http.Request, id, version string) {
	size := 100
	if v, err := strconv.Atoi(r.URL.Query().Get("page_size")); err == nil && v > 0 && v <= 100 {
		size = v
	}
	kids := s.blocks[id]
	start := 0
	if c := r.URL.Query().Get("start_cursor"); c != "" {
		start = slices.IndexFunc(kids, func(b map[string]any) bool { return b["id"] == Dashed(c) })
		if start < 0 {
			apiError(w, 400, "validation_error", "start_cursor should be a valid cursor.")
			return
		}
	}
	end := min(start+size, len(kids))
	page := kids[start:end]
	var next any
	if end < len(kids) {
		next = kids[end]["id"]
	}
	writeJSON(w, 200, map[string]any{
		"object": "list", "results": inVersion(readBlocks(page), version), "next_cursor": next, "has_more": next != nil,
		"type": "block", "block": map[string]any{}, "request_id": NewID(),
	})
}

func (s *Server) appendChildren(w http.ResponseWriter, r *http.Request, id, version string) {
	body, _ := io.ReadAll(r.Body)
	if len(body) > maxPayloadBytes {
		apiError(w, 413, "payload_too_large", "Request body too large.")
		return
	}
	var raw struct {
		Children []any `json:"children"`
	}
	var req struct {
		Children []map[string]any `json:"children"`
	}
	var place map[string]any
	if json.Unmarshal(body, &raw) != nil || json.Unmarshal(body, &req) != nil || json.Unmarshal(body, &place) != nil {
		apiError(w, 400, "invalid_json", "Error parsing JSON body.")
		return
	}
	pos, msg := position(place, version)
	if msg != "" {
		apiError(w, 400, "validation_error", "%s", msg)
		return
	}
	if len(raw.Children) == 0 {
		apiError(w, 400, "validation_error", "body failed validation: body.children should be defined, instead was `undefined`.")
		return
	}
	if msg := checkChildren(raw.Children); msg != "" {
		apiError(w, 400, "validation_error", "%s", msg)
		return
	}
	if msg := s.refused("body.children", raw.Children); msg != "" {
		apiError(w, 400, "validation_error", "%s", msg)
		return
	}
	at := len(s.blocks[id])
	switch {
	case pos.start:
		at = 0
	case pos.after != "":
		at = slices.IndexFunc(s.blocks[id], func(b map[string]any) bool { return b["id"] == Dashed(pos.after) })
		if at < 0 {
			apiError(w, 400, "validation_error", "Could not find block with ID: %s.", Dashed(pos.after))
			return
		}
		at++
	}
	added := make([]map[string]any, 0, len(req.Children))
	for _, c := range req.Children {
		added = append(added, s.storeBlock(id, c))
	}
	s.blocks[id] = slices.Insert(s.blocks[id], at, added...)
	if p, ok := s.pages[id]; ok {
		p.editedAt = now()
	}
	writeJSON(w, 200, map[string]any{
		"object": "list", "results": inVersion(readBlocks(added), version), "next_cursor": nil, "has_more": false,
		"type": "block", "block": map[string]any{}, "request_id": NewID(),
	})
}

// checkChildren validates the children of an append or of a new page as
// Notion does, returning the whole validation message, or "".
func checkChildren(children []any) string {
	if msg := validateChildren("body.children", children, 1); msg != "" {
		return "body failed validation: " + msg
	}
	if n := countBlocks(children); n > maxBlocks {
		return fmt.Sprintf("body failed validation: the request holds %d blocks, more than %d.", n, maxBlocks)
	}
	return ""
}

// blockNotFound is Notion's answer for a block the integration cannot see.
func blockNotFound(w http.ResponseWriter, id string) {
	apiError(w, 404, "object_not_found", "Could not find block with ID: %s. Make sure the relevant pages and databases are shared with your integration.", id)
}

// deleteBlock moves a block to the trash, as Notion does: it leaves its
// parent's children.
func (s *Server) deleteBlock(w http.ResponseWriter, in Integration, rawID string) {
	id := Dashed(rawID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.canReach(in, id) {
		blockNotFound(w, id)
		return
	}
	if parent, i, ok := s.findBlock(id); ok {
		writeJSON(w, 200, trashedView(s.trash(parent, i), true))
		return
	}
	apiError(w, 400, "validation_error", "Block %s cannot be deleted through this endpoint.", id)
}

// storeBlock gives a requested block an ID and Notion's read-side fields,
// storing its nested children under it. The caller holds s.mu or owns s.
func (s *Server) storeBlock(parent string, req map[string]any) map[string]any {
	typ, _ := req["type"].(string)
	id := NewID()
	if seeded, ok := req["id"].(string); ok {
		// A seed may fix a block's ID: a child page's block has its page's.
		id = seeded
	}
	b := map[string]any{
		"object": "block", "id": id, "type": typ, "created_time": created, "last_edited_time": created,
		"created_by": partialUser(), "last_edited_by": partialUser(), "has_children": false,
		"archived": false, "in_trash": false, "parent": s.parentObject(parent),
	}
	body, _ := req[typ].(map[string]any)
	content := map[string]any{}
	for k, v := range body {
		if k != "children" {
			content[k] = v
		}
	}
	b[typ] = content
	if kids, ok := body["children"].([]any); ok {
		for _, k := range kids {
			if km, ok := k.(map[string]any); ok {
				s.blocks[b["id"].(string)] = append(s.blocks[b["id"].(string)], s.storeBlock(b["id"].(string), km))
			}
		}
		b["has_children"] = len(kids) > 0
	}
	return b
}

// readBlock is a stored block as Notion answers with it: its rich text
// carries the fields Notion adds on reading.
func readBlock(b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range b {
		out[k] = v
	}
	typ, _ := b["type"].(string)
	content, ok := b[typ].(map[string]any)
	if !ok {
		return out
	}
	read := map[string]any{}
	for k, v := range content {
		switch k {
		case "rich_text", "caption":
			read[k] = readRichText(v)
		case "cells":
			cells, _ := v.([]any)
			rows := make([]any, len(cells))
			for i, c := range cells {
				rows[i] = readRichText(c)
			}
			read[k] = rows
		default:
			read[k] = v
		}
	}
	out[typ] = read
	return out
}

// readBlocks applies readBlock to each block.
func readBlocks(bs []map[string]any) []map[string]any {
	out := make([]map[string]any, len(bs))
	for i, b := range bs {
		out[i] = readBlock(b)
	}
	return out
}

// readRichText gives requested rich text the fields Notion adds when it is
// read back: plain_text, href and every annotation.
func readRichText(v any) []any {
	items, _ := v.([]any)
	out := make([]any, 0, len(items))
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		r := map[string]any{}
		for k, v := range m {
			r[k] = v
		}
		annotations := map[string]any{"bold": false, "italic": false, "strikethrough": false, "underline": false, "code": false, "color": "default"}
		if a, ok := m["annotations"].(map[string]any); ok {
			for k, v := range a {
				annotations[k] = v
			}
		}
		r["annotations"] = annotations
		text, _ := m["text"].(map[string]any)
		equation, _ := m["equation"].(map[string]any)
		r["plain_text"], r["href"] = m["plain_text"], m["href"]
		if text != nil {
			r["plain_text"] = text["content"]
			if link, ok := text["link"].(map[string]any); ok {
				r["href"] = link["url"]
			}
		} else if equation != nil {
			r["plain_text"] = equation["expression"]
		}
		out = append(out, r)
	}
	return out
}

// httpDiscard is a ResponseWriter that throws the answer away, for a write
// applied just before the connection is reset.
type httpDiscard struct{}

func (httpDiscard) Header() http.Header         { return http.Header{} }
func (httpDiscard) Write(b []byte) (int, error) { return len(b), nil }
func (httpDiscard) WriteHeader(int)             {}
