package fakenotion

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testcert"
)

const calID = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"

func calRow(i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i) }

// calendar is a database with a schema and twelve rows: every third is a
// Social post, the even ones are ready, and row i has i*100 words.
func calendar() Seed {
	s := Seed{
		Integrations: []Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}, {Secret: "ntn_reader", Name: "Reader", NoInsert: true}},
		Databases: []Database{{ID: calID, Title: "Calendar", Connected: []string{"Bot", "Reader"}, Properties: []Property{
			{Name: "Name", Type: "title"},
			{Name: "Topic", Type: "rich_text"},
			{Name: "Status", Type: "status", Options: []Option{{Name: "Not started"}, {Name: "Done", Color: "green"}}},
			{Name: "Channel", Type: "select", Options: []Option{{Name: "Blog"}, {Name: "Social"}}},
			{Name: "Tags", Type: "multi_select", Options: []Option{{Name: "AI"}}},
			{Name: "Publish date", Type: "date"},
			{Name: "Ready", Type: "checkbox"},
			{Name: "Words", Type: "number"},
			{Name: "Link", Type: "url"},
			{Name: "Score", Type: "formula", Expression: "1"},
		}}},
	}
	for i := 1; i <= 12; i++ {
		channel := "Blog"
		if i%3 == 0 {
			channel = "Social"
		}
		s.Pages = append(s.Pages, Page{ID: calRow(i), Title: fmt.Sprintf("Post %02d", i), Parent: calID, Properties: map[string]any{
			"Topic":        map[string]any{"rich_text": []any{map[string]any{"type": "text", "text": map[string]any{"content": fmt.Sprintf("topic %d", i)}}}},
			"Channel":      map[string]any{"select": map[string]any{"name": channel}},
			"Ready":        map[string]any{"checkbox": i%2 == 0},
			"Words":        map[string]any{"number": float64(i * 100)},
			"Publish date": map[string]any{"date": map[string]any{"start": fmt.Sprintf("2026-03-%02d", i)}},
		}})
	}
	return s
}

func titles(t *testing.T, res map[string]any) []string {
	t.Helper()
	var out []string
	for _, r := range res["results"].([]any) {
		props := r.(map[string]any)["properties"].(map[string]any)
		name := props["Name"].(map[string]any)["title"].([]any)
		out = append(out, name[0].(map[string]any)["plain_text"].(string))
	}
	return out
}

func TestDatabaseSchema(t *testing.T) {
	api := New(calendar()).API()
	status, db := do(t, api, "GET", "/v1/databases/"+calID, secret, "")
	require.Equal(t, 200, status)
	props := db["properties"].(map[string]any)
	assert.Len(t, props, 10)
	name := props["Name"].(map[string]any)
	assert.Equal(t, "title", name["id"])
	status0 := props["Status"].(map[string]any)
	assert.Equal(t, "status", status0["type"])
	opts := status0["status"].(map[string]any)["options"].([]any)
	assert.Equal(t, "Done", opts[1].(map[string]any)["name"])
	assert.Equal(t, "green", opts[1].(map[string]any)["color"])
	assert.NotEmpty(t, opts[1].(map[string]any)["id"])
	assert.Equal(t, map[string]any{"expression": "1"}, props["Score"].(map[string]any)["formula"])

	// A row carries every property, with Notion's nulls for empty ones.
	status, page := do(t, api, "GET", "/v1/pages/"+calRow(3), secret, "")
	require.Equal(t, 200, status)
	values := page["properties"].(map[string]any)
	assert.Len(t, values, 10)
	assert.Equal(t, "Social", values["Channel"].(map[string]any)["select"].(map[string]any)["name"])
	assert.Nil(t, values["Status"].(map[string]any)["status"])
	assert.Nil(t, values["Link"].(map[string]any)["url"])
	assert.Equal(t, []any{}, values["Tags"].(map[string]any)["multi_select"])
	assert.Equal(t, 300.0, values["Words"].(map[string]any)["number"])
	assert.Equal(t, "topic 3", values["Topic"].(map[string]any)["rich_text"].([]any)[0].(map[string]any)["plain_text"])
}

func TestQueryPagesThroughRows(t *testing.T) {
	api := New(calendar()).API()
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5)
		body := `{"page_size":5}`
		if cursor != "" {
			body = fmt.Sprintf(`{"page_size":5,"start_cursor":%q}`, cursor)
		}
		status, res := do(t, api, "POST", "/v1/databases/"+calID+"/query", secret, body)
		require.Equal(t, 200, status, res)
		assert.Equal(t, "page_or_database", res["type"])
		got = append(got, titles(t, res)...)
		if res["has_more"] != true {
			assert.Nil(t, res["next_cursor"])
			break
		}
		cursor = res["next_cursor"].(string)
	}
	assert.Len(t, got, 12)
	assert.Equal(t, "Post 01", got[0])
	assert.Equal(t, "Post 12", got[11])
}

func TestQueryFiltersAndSorts(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"title contains, any case", `{"filter":{"property":"Name","title":{"contains":"post 1"}}}`, []string{"Post 10", "Post 11", "Post 12"}},
		{"by property id", `{"filter":{"property":"title","title":{"equals":"Post 02"}}}`, []string{"Post 02"}},
		{"select equals", `{"filter":{"property":"Channel","select":{"equals":"Social"}}}`, []string{"Post 03", "Post 06", "Post 09", "Post 12"}},
		{"status is empty", `{"filter":{"property":"Status","status":{"is_not_empty":true}}}`, nil},
		{"checkbox", `{"filter":{"and":[{"property":"Ready","checkbox":{"equals":true}},{"property":"Words","number":{"greater_than":900}}]}}`, []string{"Post 10", "Post 12"}},
		{"or", `{"filter":{"or":[{"property":"Words","number":{"equals":100}},{"property":"Publish date","date":{"on_or_after":"2026-03-12"}}]}}`, []string{"Post 01", "Post 12"}},
		{"date before", `{"filter":{"property":"Publish date","date":{"before":"2026-03-03"}}}`, []string{"Post 01", "Post 02"}},
		{"rich text starts with", `{"filter":{"property":"Topic","rich_text":{"starts_with":"topic 1"}},"sorts":[{"property":"Words","direction":"descending"}]}`, []string{"Post 12", "Post 11", "Post 10", "Post 01"}},
		{"sorted by select then title", `{"filter":{"property":"Words","number":{"less_than_or_equal_to":400}},"sorts":[{"property":"Channel","direction":"descending"},{"property":"Name","direction":"ascending"}]}`, []string{"Post 03", "Post 01", "Post 02", "Post 04"}},
	}
	api := New(calendar()).API()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, res := do(t, api, "POST", "/v1/databases/"+calID+"/query", secret, tc.body)
			require.Equal(t, 200, status, res)
			assert.Equal(t, tc.want, titles(t, res))
		})
	}
}

func TestQueryRefusesWhatNotionRefuses(t *testing.T) {
	tests := []struct {
		name, path, token, body string
		status                  int
		message                 string
	}{
		{"unknown property", "/v1/databases/" + calID + "/query", secret, `{"filter":{"property":"Colour","select":{"equals":"x"}}}`, 400, "Could not find property with name or id: Colour"},
		{"wrong type", "/v1/databases/" + calID + "/query", secret, `{"filter":{"property":"Channel","checkbox":{"equals":true}}}`, 400, "body failed validation: body.filter.checkbox does not match the type of property Channel, which is select."},
		{"too deep", "/v1/databases/" + calID + "/query", secret, `{"filter":{"and":[{"or":[{"and":[{"property":"Ready","checkbox":{"equals":true}}]}]}]}}`, 400, "body failed validation: body.filter: compound filters may nest at most two levels deep."},
		{"bad cursor", "/v1/databases/" + calID + "/query", secret, `{"start_cursor":"nope"}`, 400, "start_cursor provided is invalid: nope"},
		{"page size", "/v1/databases/" + calID + "/query", secret, `{"page_size":101}`, 400, "body failed validation: body.page_size should be a number between 1 and 100, instead was `101`."},
		{"unknown key", "/v1/databases/" + calID + "/query", secret, `{"limit":5}`, 400, "body failed validation: body.limit should be not present, instead was `5`."},
		{"unknown sort", "/v1/databases/" + calID + "/query", secret, `{"sorts":[{"property":"Colour","direction":"ascending"}]}`, 400, "Could not find sort property with name or id: Colour"},
		{"not shared", "/v1/databases/" + dbID + "/query", secret, `{}`, 404, "Could not find database with ID: " + dbID + ". Make sure the relevant pages and databases are shared with your integration."},
	}
	api := New(calendar()).API()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, res := do(t, api, "POST", tc.path, tc.token, tc.body)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.message, res["message"])
		})
	}
}

func TestCreateAndUpdateRows(t *testing.T) {
	s := New(calendar())
	api := s.API()
	status, page := do(t, api, "POST", "/v1/pages", secret, `{"parent":{"database_id":"`+calID+`"},"properties":{
		"Name":{"title":[{"type":"text","text":{"content":"Fresh"}}]},
		"Channel":{"select":{"name":"Newsletter"}},
		"Status":{"status":{"name":"Done"}},
		"Publish date":{"date":{"start":"2026-04-01"}},
		"Ready":{"checkbox":true},
		"Words":{"number":42}},
		"children":[{"object":"block","type":"paragraph","paragraph":{"rich_text":[{"type":"text","text":{"content":"Body"}}]}}]}`)
	require.Equal(t, 200, status, page)
	id := page["id"].(string)
	values := page["properties"].(map[string]any)
	assert.Equal(t, "Newsletter", values["Channel"].(map[string]any)["select"].(map[string]any)["name"], "a new select option is added, as in Notion")
	assert.Equal(t, "Done", values["Status"].(map[string]any)["status"].(map[string]any)["name"])
	assert.Len(t, s.Children(id), 1)
	_, db := do(t, api, "GET", "/v1/databases/"+calID, secret, "")
	opts := db["properties"].(map[string]any)["Channel"].(map[string]any)["select"].(map[string]any)["options"].([]any)
	assert.Len(t, opts, 3)
	_, res := do(t, api, "POST", "/v1/databases/"+calID+"/query", secret, `{"filter":{"property":"Name","title":{"equals":"Fresh"}}}`)
	assert.Equal(t, []string{"Fresh"}, titles(t, res))

	status, page = do(t, api, "PATCH", "/v1/pages/"+id, secret, `{"properties":{"Topic":{"rich_text":[{"type":"text","text":{"content":"updated"}}]},"Name":{"title":[{"type":"text","text":{"content":"Renamed"}}]}}}`)
	require.Equal(t, 200, status, page)
	values = page["properties"].(map[string]any)
	assert.Equal(t, "updated", values["Topic"].(map[string]any)["rich_text"].([]any)[0].(map[string]any)["plain_text"])
	assert.Equal(t, 42.0, values["Words"].(map[string]any)["number"], "values left out stay")
	assert.Contains(t, page["url"], "Renamed")

	// Moving a row to the trash hides it from queries.
	status, _ = do(t, api, "PATCH", "/v1/pages/"+id, secret, `{"archived":true}`)
	require.Equal(t, 200, status)
	_, res = do(t, api, "POST", "/v1/databases/"+calID+"/query", secret, `{"filter":{"property":"Name","title":{"equals":"Renamed"}}}`)
	assert.Empty(t, titles(t, res))
	status, res = do(t, api, "PATCH", "/v1/pages/"+id, secret, `{"properties":{"Ready":{"checkbox":false}}}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "Can't edit block that is archived. You must unarchive the block before editing.", res["message"])
}

func TestPropertyValuesAreValidated(t *testing.T) {
	long := make([]byte, 2001)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name, token, props string
		status             int
		message            string
	}{
		{"unknown property", secret, `{"Colour":{"select":{"name":"x"}}}`, 400, "Colour is not a property that exists."},
		{"wrong type", secret, `{"Channel":{"rich_text":[]}}`, 400, "Channel is expected to be select."},
		{"read-only", secret, `{"Score":{"formula":{"string":"x"}}}`, 400, "Score is a formula property, which cannot be set."},
		{"text too long", secret, `{"Topic":{"rich_text":[{"type":"text","text":{"content":"` + string(long) + `"}}]}}`, 400, "body failed validation: body.properties.Topic.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`."},
		{"too many items", secret, `{"Topic":{"rich_text":[` + items(101) + `]}}`, 400, "body failed validation: body.properties.Topic.rich_text.length should be ≤ `100`, instead was `101`."},
		{"unknown status", secret, `{"Status":{"status":{"name":"Later"}}}`, 400, "Invalid status option. Status option \"Later\" does not exist for property \"Status\"."},
		{"comma in an option", secret, `{"Channel":{"select":{"name":"a, b"}}}`, 400, "body failed validation: body.properties.Channel.select.name should not contain commas."},
		{"bad date", secret, `{"Publish date":{"date":{"start":"next Tuesday"}}}`, 400, "body failed validation: body.properties.Publish date.date.start should be a valid ISO 8601 date string, instead was `next Tuesday`."},
		{"number as text", secret, `{"Words":{"number":"ten"}}`, 400, "Words is expected to be number."},
		{"no insert capability", "ntn_reader", `{}`, 403, "Insufficient permissions for this endpoint."},
	}
	api := New(calendar()).API()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, res := do(t, api, "POST", "/v1/pages", tc.token, `{"parent":{"database_id":"`+calID+`"},"properties":`+tc.props+`}`)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.message, res["message"])
			status, res = do(t, api, "PATCH", "/v1/pages/"+calRow(1), tc.token, `{"properties":`+tc.props+`}`)
			assert.Equal(t, tc.status, status, "update")
			assert.Equal(t, tc.message, res["message"], "update")
		})
	}
}

func items(n int) string {
	out := ""
	for i := range n {
		if i > 0 {
			out += ","
		}
		out += `{"type":"text","text":{"content":"x"}}`
	}
	return out
}

// TestNotionapiReadsTheFake drives the fake with the client library.
func TestNotionapiReadsTheFake(t *testing.T) {
	s := New(calendar())
	hc := &http.Client{Transport: testcert.InProcess{Handler: s.API()}}
	c := notionapi.NewClient(secret, notionapi.WithHTTPClient(hc), notionapi.WithRetry(1))
	ctx := context.Background()
	db, err := c.Database.Get(ctx, calID)
	require.NoError(t, err)
	assert.Equal(t, "Calendar", db.Title[0].PlainText)
	res, err := c.Database.Query(ctx, calID, &notionapi.DatabaseQueryRequest{
		Filter:   &notionapi.PropertyFilter{Property: "Channel", Select: &notionapi.SelectFilterCondition{Equals: "Social"}},
		PageSize: 2,
	})
	require.NoError(t, err)
	assert.Len(t, res.Results, 2)
	assert.True(t, res.HasMore)
	page, err := c.Page.Create(ctx, &notionapi.PageCreateRequest{
		Parent:     notionapi.Parent{Type: notionapi.ParentTypeDatabaseID, DatabaseID: calID},
		Properties: notionapi.Properties{"Name": notionapi.TitleProperty{Title: []notionapi.RichText{{Text: &notionapi.Text{Content: "Via notionapi"}}}}},
	})
	require.NoError(t, err)
	_, err = c.Page.Update(ctx, notionapi.PageID(page.ID), &notionapi.PageUpdateRequest{
		Properties: notionapi.Properties{"Ready": notionapi.CheckboxProperty{Checkbox: true}},
	})
	require.NoError(t, err)
	got, ok := s.Page(string(page.ID))
	require.True(t, ok)
	assert.Equal(t, true, got["properties"].(map[string]any)["Ready"].(map[string]any)["checkbox"])
}

func TestADatabaseTabShowsItsRows(t *testing.T) {
	s := New(calendar())
	req := httptest.NewRequest("GET", "https://www.notion.so/Calendar-"+strings.ReplaceAll(calID, "-", "")+"?v=1&format=json", nil)
	rec := httptest.NewRecorder()
	s.Web().ServeHTTP(rec, req)
	var page struct{ Title, HTML string }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	assert.Equal(t, "Calendar", page.Title)
	assert.Contains(t, page.HTML, "<th>Channel</th>")
	assert.Contains(t, page.HTML, ">Post 12</a>")
	assert.Equal(t, 12, strings.Count(page.HTML, "<tr data-block-id="))
}
