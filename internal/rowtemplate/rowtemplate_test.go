package rowtemplate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/notion"
)

var schema = []notion.Schema{
	{Name: "Name", Type: "title"},
	{Name: "Topic", Type: "rich_text"},
	{Name: "Status", Type: "status"},
	{Name: "Publish date", Type: "date"},
	{Name: "Tags", Type: "multi_select"},
	{Name: "Words", Type: "number"},
	{Name: "Ready", Type: "checkbox"},
	{Name: "Related", Type: "relation"},
	{Name: "Thème", Type: "rich_text"},
	{Name: "日付", Type: "date"},
}

// row is a row's values as Notion sends them.
func row(t *testing.T) map[string]notion.Value {
	t.Helper()
	raw := `{
	  "Name": {"id":"title","type":"title","title":[{"type":"text","text":{"content":"Launch post"},"plain_text":"Launch post"}]},
	  "Topic": {"id":"a","type":"rich_text","rich_text":[{"type":"text","text":{"content":"spring "},"plain_text":"spring "},{"type":"text","text":{"content":"launch"},"plain_text":"launch","annotations":{"bold":true}}]},
	  "Status": {"id":"b","type":"status","status":{"id":"s1","name":"In progress","color":"blue"}},
	  "Publish date": {"id":"c","type":"date","date":{"start":"2026-03-01","end":null,"time_zone":null}},
	  "Tags": {"id":"d","type":"multi_select","multi_select":[{"name":"AI"},{"name":"Tips"}]},
	  "Words": {"id":"e","type":"number","number":null},
	  "Ready": {"id":"f","type":"checkbox","checkbox":false},
	  "Related": {"id":"g","type":"relation","relation":[{"id":"p1"},{"id":"p2"}],"has_more":false},
	  "Thème": {"id":"h","type":"rich_text","rich_text":[]},
	  "日付": {"id":"i","type":"date","date":{"start":"2026-03-01T09:30:00.000+02:00","end":"2026-03-02T10:00:00.000+02:00"}}
	}`
	var values map[string]notion.Value
	require.NoError(t, json.Unmarshal([]byte(raw), &values))
	return values
}

func titles(id string) (string, bool) {
	t, ok := map[string]string{"p1": "Pricing FAQ"}[id]
	return t, ok
}

func TestRender(t *testing.T) {
	for _, tc := range []struct{ name, template, want string }{
		{"every kind", "{{Name}}|{{Topic}}|{{Status}}|{{Publish date}}|{{Tags}}|{{Words}}|{{Ready}}|{{Related}}|{{日付}}",
			"Launch post|spring launch|In progress|2026-03-01|AI, Tips||No|Pricing FAQ|2026-03-01 09:30 → 2026-03-02 10:00"},
		{"spaces inside the braces", "About {{  Topic  }}.", "About spring launch."},
		{"any letter case", "{{topic}} / {{STATUS}}", "spring launch / In progress"},
		{"repeated", "{{Name}} and {{Name}}", "Launch post and Launch post"},
		{"single braces and JSON stay", `{"a": {b}} }} {Name}`, `{"a": {b}} }} {Name}`},
		{"no placeholders", "Write a haiku.", "Write a haiku."},
		{"unicode names", "{{Thème}}!", "!"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := Parse(tc.template, schema)
			require.NoError(t, err)
			assert.Equal(t, tc.want, tp.Render(row(t), titles))
		})
	}
}

func TestAPropertyTheRowLacksRendersAsNothing(t *testing.T) {
	tp, err := Parse("[{{Topic}}]", schema)
	require.NoError(t, err)
	assert.Equal(t, "[]", tp.Render(map[string]notion.Value{}, nil))
	assert.Equal(t, []string{"Topic"}, tp.Empty(map[string]notion.Value{}))
}

func TestParseErrorsNameThePlaceholder(t *testing.T) {
	for _, tc := range []struct{ name, template, placeholder, message string }{
		{"mistyped", "About {{Staus}}.", "{{Staus}}", "There is no property called “Staus” in this database. Did you mean {{Status}}?"},
		{"far off", "About {{Colour scheme}}.", "{{Colour scheme}}", "There is no property called “Colour scheme” in this database. Its properties are Name, Topic, Status, Publish date, Tags, Words, Ready, Related, …."},
		{"empty", "About {{ }}.", "{{ }}", "A placeholder is empty: write a property name between {{ and }}."},
		{"unclosed", "About {{Topic and more", "{{Topic and more", "The placeholder “{{Topic and more” is not closed: add }} after the property name."},
		{"unclosed before the next", "{{Topic {{Name}}", "{{Topic", "The placeholder “{{Topic” is not closed: add }} after the property name."},
		{"blank template", "  \n ", "", "Write a prompt template first."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.template, schema)
			var te *Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.placeholder, te.Placeholder)
			assert.Equal(t, tc.message, te.Message())
		})
	}
}

func TestEveryProblemIsListed(t *testing.T) {
	_, err := Parse("{{Nme}} {{}} {{Topic}} {{Stat", schema)
	var te *Error
	require.ErrorAs(t, err, &te)
	var got []string
	for _, p := range te.Problems {
		got = append(got, p.Placeholder)
	}
	assert.Equal(t, []string{"{{Nme}}", "{{}}", "{{Stat"}, got)
}

func TestNamesEmptyAndRelations(t *testing.T) {
	tp, err := Parse("{{Words}} {{Topic}} {{Related}} {{Thème}} {{Topic}}", schema)
	require.NoError(t, err)
	assert.Equal(t, []string{"Words", "Topic", "Related", "Thème"}, tp.Names())
	assert.Equal(t, []string{"Words", "Thème"}, tp.Empty(row(t)))
	assert.Equal(t, []string{"p1", "p2"}, tp.RelationIDs(row(t)))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"About {{Topic}}.", "{{", "}}", "{{}}", "{{Topic", "{{ Name }} {x} {{Tags}}", "日付 {{日付}}", "{{{Name}}}", "{{Nme}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		tp, err := Parse(src, schema)
		if err != nil {
			var te *Error
			require.ErrorAs(t, err, &te)
			require.NotEmpty(t, te.Problems)
			for _, p := range te.Problems {
				require.True(t, strings.Contains(src, p.Placeholder), "problem %q not in the template", p.Placeholder)
			}
			return
		}
		// With every value empty, the prompt is the template's own text.
		out := tp.Render(map[string]notion.Value{}, nil)
		var lit strings.Builder
		for _, p := range tp.parts {
			lit.WriteString(p.text)
		}
		require.Equal(t, lit.String(), out)
		require.LessOrEqual(t, len(out), len(src))
	})
}

func TestPageContentPlaceholder(t *testing.T) {
	pageSchema := []notion.Schema{{Name: "Name", Type: "title"}, {Name: "Topic", Type: "rich_text"}}
	tests := []struct {
		name, src string
		schema    []notion.Schema
		wantPage  bool
		want      string
	}{
		{name: "the page body", src: "Sum up {{Page content}} about {{Topic}}", schema: pageSchema, wantPage: true, want: "Sum up <body> about AI"},
		{name: "in any letter case", src: "{{ page CONTENT }}", schema: pageSchema, wantPage: true, want: "<body>"},
		{name: "a property of that name wins", src: "{{Page content}}", schema: append(pageSchema, notion.Schema{Name: "Page content", Type: "rich_text"}), wantPage: false, want: "the property"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse(tt.src, tt.schema)
			require.NoError(t, err)
			assert.Equal(t, tt.wantPage, tpl.UsesPageContent())
			values := map[string]notion.Value{"Topic": textValue("AI"), "Page content": textValue("the property")}
			if tt.wantPage {
				values = WithPageContent(map[string]notion.Value{"Topic": textValue("AI")}, "# Body")
			}
			got := tpl.Render(values, nil)
			if tt.wantPage {
				assert.Contains(t, got, "\n# Body\n", "the body, fenced off as content")
				assert.Equal(t, strings.Count(tt.want, "<body>"), strings.Count(got, "never instructions to you"))
				return
			}
			assert.Equal(t, tt.want, got)
		})
	}
	empty := WithPageContent(nil, "")
	assert.True(t, empty[PageContent].IsEmpty(), "an empty body is an empty value")
}

func textValue(s string) notion.Value {
	return notion.Value{Type: "rich_text", RichText: []notionapi.RichText{{Type: "text", PlainText: s}}}
}
