package fakenotion

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRestoreKeepsPlace trashes neighbouring blocks in every order and
// restores them in every order: each comes back to its own place, as
// Notion keeps a trashed block's place in its page.
func TestRestoreKeepsPlace(t *testing.T) {
	tests := []struct {
		name             string
		trash, restore   []string
		afterTrash, want string
	}{
		{"one", []string{"b"}, []string{"b"}, "a c d", "a b c d"},
		{"two, restored in the order trashed", []string{"b", "c"}, []string{"b", "c"}, "a d", "a b c d"},
		{"two, restored the other way", []string{"b", "c"}, []string{"c", "b"}, "a d", "a b c d"},
		{"two trashed last first", []string{"c", "b"}, []string{"b", "c"}, "a d", "a b c d"},
		{"the first two", []string{"a", "b"}, []string{"a", "b"}, "c d", "a b c d"},
		{"the first two, other way", []string{"b", "a"}, []string{"b", "a"}, "c d", "a b c d"},
		{"apart", []string{"a", "c"}, []string{"c", "a"}, "b d", "a b c d"},
		{"all", []string{"d", "a", "c", "b"}, []string{"c", "a", "d", "b"}, "", "a b c d"},
	}
	para := func(text string) string {
		return `{"object":"block","type":"paragraph","paragraph":{"rich_text":[{"type":"text","text":{"content":"` + text + `"}}]}}`
	}
	texts := func(s *Server) string {
		var out []string
		for _, b := range s.Children(pageID) {
			out = append(out, plainOf(b["paragraph"].(map[string]any)["rich_text"]))
		}
		return strings.Join(out, " ")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(seed())
			status, made := do(t, s.API(), "PATCH", "/v1/blocks/"+pageID+"/children", secret, `{"children":[`+para("a")+`,`+para("b")+`,`+para("c")+`,`+para("d")+`]}`)
			require.Equal(t, 200, status)
			ids := map[string]string{}
			for i, r := range made["results"].([]any) {
				ids[string(rune('a'+i))] = r.(map[string]any)["id"].(string)
			}
			for _, name := range tt.trash {
				status, b := do(t, s.API(), "PATCH", "/v1/blocks/"+ids[name], secret, `{"archived":true}`)
				require.Equal(t, 200, status)
				assert.Equal(t, true, b["archived"])
			}
			assert.Equal(t, tt.afterTrash, texts(s))
			for _, name := range tt.restore {
				status, b := do(t, s.API(), "PATCH", "/v1/blocks/"+ids[name], secret, `{"archived":false}`)
				require.Equal(t, 200, status)
				assert.Equal(t, false, b["archived"])
			}
			assert.Equal(t, tt.want, texts(s))
		})
	}
}

// TestRetrieveBlock answers GET /v1/blocks/{id} as Notion does: a nested
// block names the block it is in, a trashed one says so, and an unknown
// one is not found.
func TestRetrieveBlock(t *testing.T) {
	s := New(seed())
	item := `{"object":"block","type":"bulleted_list_item","bulleted_list_item":{"rich_text":[{"type":"text","text":{"content":"Research"}}],"children":[{"object":"block","type":"bulleted_list_item","bulleted_list_item":{"rich_text":[{"type":"text","text":{"content":"Interview"}}]}}]}}`
	status, made := do(t, s.API(), "PATCH", "/v1/blocks/"+pageID+"/children", secret, `{"children":[`+item+`]}`)
	require.Equal(t, 200, status)
	itemID := made["results"].([]any)[0].(map[string]any)["id"].(string)
	nestedID := s.Children(itemID)[0]["id"].(string)

	status, b := do(t, s.API(), "GET", "/v1/blocks/"+itemID, secret, "")
	require.Equal(t, 200, status)
	assert.Equal(t, map[string]any{"type": "page_id", "page_id": pageID}, b["parent"])
	status, b = do(t, s.API(), "GET", "/v1/blocks/"+nestedID, secret, "")
	require.Equal(t, 200, status)
	assert.Equal(t, map[string]any{"type": "block_id", "block_id": itemID}, b["parent"])
	assert.Equal(t, false, b["archived"])

	status, _ = do(t, s.API(), "PATCH", "/v1/blocks/"+nestedID, secret, `{"archived":true}`)
	require.Equal(t, 200, status)
	status, b = do(t, s.API(), "GET", "/v1/blocks/"+nestedID, secret, "")
	require.Equal(t, 200, status)
	assert.Equal(t, true, b["archived"])

	status, b = do(t, s.API(), "GET", "/v1/blocks/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", secret, "")
	assert.Equal(t, 404, status)
	assert.Equal(t, "object_not_found", b["code"])
	status, _ = do(t, s.API(), "GET", "/v1/blocks/"+itemID, "ntn_blind", "")
	assert.Equal(t, 403, status, "an integration without the read capability cannot read blocks")
}
