package fakenotion

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAppendPositions: on 2026-03-11 an append says where it goes with
// position (start, end or after a block) and never with after, which that
// version renamed; before it, with after alone. Blocks come back in the
// version's shape.
func TestAppendPositions(t *testing.T) {
	para := func(text string) string {
		return fmt.Sprintf(`{"object":"block","type":"paragraph","paragraph":{"rich_text":[{"type":"text","text":{"content":%q}}]}}`, text)
	}
	body := func(place string) string {
		if place != "" {
			place = "," + place
		}
		return `{"children":[` + para("New") + `]` + place + `}`
	}
	tests := []struct {
		// place holds %s where the page's first block's ID goes, as may
		// wantMessage.
		name, version, place string
		want                 []string
		wantMessage          string
	}{
		{name: "at the start", version: Version20260311, place: `"position":{"type":"start"}`, want: []string{"New", "One", "Two"}},
		{name: "at the end", version: Version20260311, place: `"position":{"type":"end"}`, want: []string{"One", "Two", "New"}},
		{name: "with no position, at the end", version: Version20260311, want: []string{"One", "Two", "New"}},
		{name: "after a block", version: Version20260311, place: `"position":{"type":"after_block","after_block":{"id":"%s"}}`, want: []string{"One", "New", "Two"}},
		{name: "after a block on 2025-09-03", version: Version20250903, place: `"after":"%s"`, want: []string{"One", "New", "Two"}},
		{name: "after, renamed on 2026-03-11", version: Version20260311, place: `"after":"%s"`,
			wantMessage: "body failed validation: body.after should be not present, instead was `\"%s\"`."},
		{name: "position before 2026-03-11", version: Version20250903, place: `"position":{"type":"start"}`,
			wantMessage: "body failed validation: body.position should be not present, instead was `{\"type\":\"start\"}`."},
		{name: "an unknown type", version: Version20260311, place: `"position":{"type":"top"}`,
			wantMessage: "body failed validation: body.position.type should be `\"after_block\"`, `\"start\"` or `\"end\"`, instead was `\"top\"`."},
		{name: "no type", version: Version20260311, place: `"position":{}`,
			wantMessage: "body failed validation: body.position.type should be `\"after_block\"`, `\"start\"` or `\"end\"`, instead was `null`."},
		{name: "not an object", version: Version20260311, place: `"position":"start"`,
			wantMessage: "body failed validation: body.position should be an object, instead was `\"start\"`."},
		{name: "start with a block", version: Version20260311, place: `"position":{"type":"start","after_block":{"id":"%s"}}`,
			wantMessage: "body failed validation: body.position.after_block should be not present"},
		{name: "after_block without its block", version: Version20260311, place: `"position":{"type":"after_block"}`,
			wantMessage: "body failed validation: body.position.after_block should be defined, instead was `undefined`."},
		{name: "after_block without an id", version: Version20260311, place: `"position":{"type":"after_block","after_block":{}}`,
			wantMessage: "body failed validation: body.position.after_block.id should be defined, instead was `undefined`."},
		{name: "after_block with a bad id", version: Version20260311, place: `"position":{"type":"after_block","after_block":{"id":"nope"}}`,
			wantMessage: "body failed validation: body.position.after_block.id should be a valid uuid, instead was `\"nope\"`."},
		{name: "after_block with another key", version: Version20260311, place: `"position":{"type":"after_block","after_block":{"id":"%s","block_id":"x"}}`,
			wantMessage: "body failed validation: body.position.after_block.block_id should be not present, instead was `\"x\"`."},
		{name: "after a block not on the page", version: Version20260311, place: `"position":{"type":"after_block","after_block":{"id":"` + otherID + `"}}`,
			wantMessage: "Could not find block with ID: " + otherID + "."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(seed())
			s.Add(Seed{Blocks: map[string][]map[string]any{pageID: {Block("paragraph", "One"), Block("paragraph", "Two")}}})
			first := s.Children(pageID)[0]["id"].(string)
			place := strings.ReplaceAll(tt.place, "%s", first)
			message := strings.ReplaceAll(tt.wantMessage, "%s", first)
			status, res := doVersion(t, s, tt.version, "PATCH", "/v1/blocks/"+pageID+"/children", body(place))
			if tt.wantMessage != "" {
				assert.Equal(t, 400, status)
				assert.Equal(t, "validation_error", res["code"])
				assert.Contains(t, res["message"], message)
				assert.Equal(t, []string{"One", "Two"}, Texts(s.Children(pageID)), "nothing is written")
				return
			}
			require.Equal(t, 200, status, res)
			assert.Equal(t, tt.want, Texts(s.Children(pageID)))
			made := res["results"].([]any)[0].(map[string]any)
			assert.Equal(t, false, made["in_trash"])
			_, archived := made["archived"]
			assert.Equal(t, tt.version != Version20260311, archived, "2026-03-11 says in_trash alone")

			_, list := doVersion(t, s, tt.version, "GET", "/v1/blocks/"+pageID+"/children", "")
			_, archived = list["results"].([]any)[0].(map[string]any)["archived"]
			assert.Equal(t, tt.version != Version20260311, archived, "listed in the version's shape too")
		})
	}
}

// TestVersion20260311OnlyOnBlockChildren: the fake speaks 2026-03-11 where
// Visen sends it, and refuses it elsewhere rather than answer in an older
// shape.
func TestVersion20260311OnlyOnBlockChildren(t *testing.T) {
	status, res := doVersion(t, New(seed()), Version20260311, "GET", "/v1/pages/"+pageID, "")
	assert.Equal(t, 400, status)
	assert.Equal(t, "validation_error", res["code"])
	assert.Contains(t, res["message"], "only on block children")
}

// FuzzPosition: any append body, on either version, is either placed or
// refused with Notion's validation wording; never both, never a panic,
// and a place is the start, after a block, or the end.
func FuzzPosition(f *testing.F) {
	for _, body := range []string{
		`{}`, `{"after":"` + pageID + `"}`, `{"after":7}`,
		`{"position":{"type":"start"}}`, `{"position":{"type":"end"}}`,
		`{"position":{"type":"after_block","after_block":{"id":"` + pageID + `"}}}`,
		`{"position":{"type":"after_block","after_block":{"id":"` + pageID + `","x":1}}}`,
		`{"position":{"type":"start","after_block":{}}}`, `{"position":[]}`, `{"position":null}`,
	} {
		f.Add(body, true)
		f.Add(body, false)
	}
	f.Fuzz(func(t *testing.T, raw string, latest bool) {
		var body map[string]any
		if json.Unmarshal([]byte(raw), &body) != nil {
			return
		}
		version := Version20250903
		if latest {
			version = Version20260311
		}
		p, msg := position(body, version)
		if msg != "" {
			assert.True(t, strings.HasPrefix(msg, "body failed validation: body."), msg)
			assert.Equal(t, place{}, p, "a refused body is not placed")
			return
		}
		assert.False(t, p.start && p.after != "", "the start is not after a block")
		_, hasAfter := body["after"]
		_, hasPosition := body["position"]
		assert.False(t, hasAfter && hasPosition, "after and position never both pass")
		if latest {
			assert.False(t, hasAfter, "after is refused on 2026-03-11")
			if p.after != "" {
				assert.True(t, isID(p.after), p.after)
			}
		}
	})
}
