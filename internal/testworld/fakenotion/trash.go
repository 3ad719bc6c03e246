package fakenotion

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
)

// trashedBlock is a block in the trash with where it was, so that it can
// be restored to its place, as Notion keeps a trashed block's place in its
// parent's order.
type trashedBlock struct {
	parent string
	// after is the ID of the sibling it followed, in the trash or not, or
	// "" when it was first; next is the sibling in the page that follows
	// it now ("" for none).
	after, next string
	block       map[string]any
}

// trash moves the block at index i of parent's children to the trash. The
// caller holds s.mu.
func (s *Server) trash(parent string, i int) map[string]any {
	kids := s.blocks[parent]
	b := kids[i]
	id, _ := b["id"].(string)
	after, next := "", ""
	if i > 0 {
		after, _ = kids[i-1]["id"].(string)
	}
	if i+1 < len(kids) {
		next, _ = kids[i+1]["id"].(string)
	}
	if s.trashed == nil {
		s.trashed = map[string]trashedBlock{}
	}
	// Blocks trashed from right before this one came after its page
	// predecessor: the last of them is the one it followed.
	var before []string
	for tid, t := range s.trashed {
		if t.parent == parent && t.next == id {
			before = append(before, tid)
		}
	}
	for _, tid := range before {
		if !slices.ContainsFunc(before, func(o string) bool { return s.trashed[o].after == tid }) {
			after = tid
		}
		t := s.trashed[tid]
		t.next = next
		s.trashed[tid] = t
	}
	s.trashed[id] = trashedBlock{parent: parent, after: after, next: next, block: b}
	s.blocks[parent] = slices.Delete(kids, i, i+1)
	return b
}

// updateBlock answers PATCH /v1/blocks/{id}: moving a block to the trash
// (archived or in_trash true) or restoring it (false), as Notion does. A
// restored block goes back after the sibling it followed, or first when
// that sibling is gone too. Changing a block's content is refused: Visen
// never does it.
func (s *Server) updateBlock(w http.ResponseWriter, r *http.Request, in Integration, rawID string) {
	id := Dashed(rawID)
	body, _ := io.ReadAll(r.Body)
	var req map[string]json.RawMessage
	if json.Unmarshal(body, &req) != nil {
		apiError(w, 400, "invalid_json", "Error parsing JSON body.")
		return
	}
	var trashFlag *bool
	for key, raw := range req {
		var v bool
		if (key != "archived" && key != "in_trash") || json.Unmarshal(raw, &v) != nil {
			apiError(w, 400, "validation_error", "body failed validation: the fake updates only archived or in_trash, got %s.", key)
			return
		}
		trashFlag = &v
	}
	if trashFlag == nil {
		apiError(w, 400, "validation_error", "body failed validation: body.archived should be defined, instead was `undefined`.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.NoInsert {
		apiError(w, 403, "restricted_resource", "Insufficient permissions for this endpoint.")
		return
	}
	if t, ok := s.trashed[id]; ok {
		if !s.canReach(in, t.parent) {
			blockNotFound(w, id)
			return
		}
		if *trashFlag {
			writeJSON(w, 200, trashedView(t.block, true))
			return
		}
		// It goes back after the nearest block it followed that is
		// still in the page.
		after := t.after
		for {
			prev, gone := s.trashed[after]
			if !gone {
				break
			}
			after = prev.after
		}
		at := 0
		if after != "" {
			at = slices.IndexFunc(s.blocks[t.parent], func(b map[string]any) bool { return b["id"] == after }) + 1
		}
		s.blocks[t.parent] = slices.Insert(s.blocks[t.parent], at, t.block)
		delete(s.trashed, id)
		writeJSON(w, 200, trashedView(t.block, false))
		return
	}
	if !s.canReach(in, id) {
		blockNotFound(w, id)
		return
	}
	parent, i, ok := s.findBlock(id)
	if !ok {
		blockNotFound(w, id)
		return
	}
	b := s.blocks[parent][i]
	if *trashFlag {
		b = s.trash(parent, i)
	}
	writeJSON(w, 200, trashedView(b, *trashFlag))
}

// findBlock is where a block is among its parent's children. The caller
// holds s.mu.
func (s *Server) findBlock(id string) (parent string, index int, ok bool) {
	for parent, kids := range s.blocks {
		for i, b := range kids {
			if b["id"] == id {
				return parent, i, true
			}
		}
	}
	return "", 0, false
}

// trashedView is a block as Notion answers a trash or restore.
func trashedView(b map[string]any, trashed bool) map[string]any {
	out := readBlock(b)
	out["archived"], out["in_trash"] = trashed, trashed
	return out
}

// retrieveBlock answers GET /v1/blocks/{id}: the block with its parent, or
// as trashed when it is in the trash.
func (s *Server) retrieveBlock(w http.ResponseWriter, in Integration, rawID string) {
	id := Dashed(rawID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.trashed[id]; ok && s.canReach(in, t.parent) {
		writeJSON(w, 200, trashedView(t.block, true))
		return
	}
	parent, i, ok := s.findBlock(id)
	if !ok || !s.canReach(in, id) {
		blockNotFound(w, id)
		return
	}
	writeJSON(w, 200, readBlock(s.blocks[parent][i]))
}
