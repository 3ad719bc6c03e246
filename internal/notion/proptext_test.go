package notion

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValueText(t *testing.T) {
	titles := func(id string) (string, bool) {
		t, ok := map[string]string{"p1": "Pricing FAQ", "p2": "Launch post"}[id]
		return t, ok
	}
	for _, tc := range []struct{ name, json, want string }{
		{"title", `{"type":"title","title":[{"type":"text","text":{"content":"Hello "},"plain_text":"Hello "},{"type":"mention","plain_text":"@Dana"}]}`, "Hello @Dana"},
		{"rich text without plain_text", `{"type":"rich_text","rich_text":[{"type":"text","text":{"content":"sent"}}]}`, "sent"},
		{"integer", `{"type":"number","number":1200000}`, "1200000"},
		{"decimal", `{"type":"number","number":2.5}`, "2.5"},
		{"negative", `{"type":"number","number":-0.25}`, "-0.25"},
		{"null number", `{"id":"%3AUv","type":"number","number":null}`, ""},
		{"zero", `{"type":"number","number":0}`, "0"},
		{"select", `{"type":"select","select":{"id":"x","name":"Blog","color":"red"}}`, "Blog"},
		{"null select", `{"type":"select","select":null}`, ""},
		{"status", `{"type":"status","status":{"name":"Done"}}`, "Done"},
		{"multi-select", `{"type":"multi_select","multi_select":[{"name":"AI"},{"name":"Tips"}]}`, "AI, Tips"},
		{"date", `{"type":"date","date":{"start":"2026-03-01","end":null,"time_zone":null}}`, "2026-03-01"},
		{"date-time", `{"type":"date","date":{"start":"2026-03-01T09:30:00.000+02:00"}}`, "2026-03-01 09:30"},
		{"range", `{"type":"date","date":{"start":"2026-03-01","end":"2026-03-04"}}`, "2026-03-01 → 2026-03-04"},
		{"null date", `{"type":"date","date":null}`, ""},
		{"checkbox on", `{"type":"checkbox","checkbox":true}`, "Yes"},
		{"checkbox off", `{"type":"checkbox","checkbox":false}`, "No"},
		{"url", `{"type":"url","url":"https://example.com"}`, "https://example.com"},
		{"null url", `{"type":"url","url":null}`, ""},
		{"email", `{"type":"email","email":"dana@example.com"}`, "dana@example.com"},
		{"phone", `{"type":"phone_number","phone_number":"+44 20 7946 0000"}`, "+44 20 7946 0000"},
		{"people", `{"type":"people","people":[{"object":"user","id":"u1","name":"Dana"},{"object":"user","id":"u2"},{"object":"user","id":"u3","name":"Lee"}]}`, "Dana, Lee"},
		{"people without names", `{"type":"people","people":[{"object":"user","id":"u2"}]}`, ""},
		{"relation", `{"type":"relation","relation":[{"id":"p1"},{"id":"p9"},{"id":"p2"}],"has_more":false}`, "Pricing FAQ, Launch post"},
		{"formula string", `{"type":"formula","formula":{"type":"string","string":"High"}}`, "High"},
		{"formula number", `{"type":"formula","formula":{"type":"number","number":42}}`, "42"},
		{"formula null number", `{"type":"formula","formula":{"type":"number","number":null}}`, ""},
		{"formula boolean", `{"type":"formula","formula":{"type":"boolean","boolean":true}}`, "Yes"},
		{"formula date", `{"type":"formula","formula":{"type":"date","date":{"start":"2026-05-01"}}}`, "2026-05-01"},
		{"rollup number", `{"type":"rollup","rollup":{"type":"number","number":1540,"function":"sum"}}`, "1540"},
		{"rollup array", `{"type":"rollup","rollup":{"type":"array","array":[{"type":"title","title":[{"plain_text":"A"}]},{"type":"number","number":null},{"type":"select","select":{"name":"B"}}],"function":"show_original"}}`, "A, B"},
		{"rollup of relations", `{"type":"rollup","rollup":{"type":"array","array":[{"type":"relation","relation":[{"id":"p1"}]}]}}`, "Pricing FAQ"},
		{"files", `{"type":"files","files":[{"name":"brief.pdf","type":"external","external":{"url":"https://x"}}]}`, "brief.pdf"},
		{"created time", `{"type":"created_time","created_time":"2026-01-05T09:30:00.000Z"}`, "2026-01-05 09:30"},
		{"created by", `{"type":"created_by","created_by":{"object":"user","id":"u1","name":"Dana"}}`, "Dana"},
		{"unique id", `{"type":"unique_id","unique_id":{"prefix":"TASK","number":12}}`, "TASK-12"},
		{"unique id without prefix", `{"type":"unique_id","unique_id":{"prefix":null,"number":7}}`, "7"},
		{"unknown type", `{"type":"place","place":{"lat":1}}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v Value
			require.NoError(t, json.Unmarshal([]byte(tc.json), &v))
			assert.Equal(t, tc.want, v.Text(titles))
		})
	}
}

func TestValueIsEmptyAndRelations(t *testing.T) {
	var v Value
	require.NoError(t, json.Unmarshal([]byte(`{"type":"relation","relation":[{"id":"p1"}]}`), &v))
	assert.False(t, v.IsEmpty(), "a relation with pages is not empty before its titles are known")
	assert.Equal(t, []string{"p1"}, v.RelationIDs())
	v = Value{}
	require.NoError(t, json.Unmarshal([]byte(`{"type":"checkbox","checkbox":false}`), &v))
	assert.False(t, v.IsEmpty(), "an unticked box reads No")
	v = Value{}
	require.NoError(t, json.Unmarshal([]byte(`{"type":"rich_text","rich_text":[{"plain_text":"  "}]}`), &v))
	assert.True(t, v.IsEmpty())
	assert.Empty(t, Value{Type: "title"}.RelationIDs())
}
