package fakenotion

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	calID  = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"
	userID = "8f0f3e6a-1d2b-4c3d-9e4f-5a6b7c8d9e0f"
)

func text(s string) []any {
	return []any{map[string]any{"type": "text", "text": map[string]any{"content": s}}}
}

// calendar is a database with a schema of every common type and twelve
// rows "Post 01" to "Post 12": every third is a Social post, the even ones
// are ready, row i has i*100 words (row 7 none) and is published on March
// i (row 5 never); the first rows carry the rarer values.
func calendar() Seed {
	s := Seed{
		Integrations: []Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}, {Secret: "ntn_reader", Name: "Reader", NoInsert: true}},
		Databases: []Database{{ID: calID, Title: "Calendar", Connected: []string{"Bot", "Reader"}, Properties: []Property{
			{Name: "Name", Type: "title"},
			{Name: "Topic", Type: "rich_text"},
			{Name: "Status", Type: "status", Options: []Option{{Name: "Not started"}, {Name: "In progress", Color: "blue"}, {Name: "Done", Color: "green"}}},
			{Name: "Channel", Type: "select", Options: []Option{{Name: "Social"}, {Name: "Blog"}}},
			{Name: "Tags", Type: "multi_select", Options: []Option{{Name: "AI", Color: "purple"}, {Name: "Tips"}}},
			{Name: "Publish date", Type: "date"},
			{Name: "Ready", Type: "checkbox"},
			{Name: "Words", Type: "number"},
			{Name: "Link", Type: "url"},
			{Name: "Email", Type: "email"},
			{Name: "Phone", Type: "phone_number"},
			{Name: "Owner", Type: "people"},
			{Name: "Related", Type: "relation", RelationTo: strings.ReplaceAll(calID, "-", "")},
			{Name: "Files", Type: "files"},
			{Name: "Score", Type: "formula", Expression: "1"},
			{Name: "Total", Type: "rollup"},
		}}},
	}
	for i := 1; i <= 12; i++ {
		channel := "Blog"
		if i%3 == 0 {
			channel = "Social"
		}
		props := map[string]any{
			"Topic":   map[string]any{"rich_text": text(fmt.Sprintf("topic %d", i))},
			"Channel": map[string]any{"select": map[string]any{"name": channel}},
			"Ready":   map[string]any{"checkbox": i%2 == 0},
		}
		if i != 7 {
			props["Words"] = map[string]any{"number": i * 100} // an int, as Go seeds write them
		}
		if i != 5 {
			props["Publish date"] = map[string]any{"date": map[string]any{"start": fmt.Sprintf("2026-03-%02d", i)}}
		}
		switch i {
		case 1:
			props["Tags"] = map[string]any{"multi_select": []map[string]any{{"name": "AI"}}}
			props["Status"] = map[string]any{"status": map[string]any{"name": "Not started"}}
			props["Link"] = map[string]any{"url": "https://example.com/one"}
			props["Owner"] = map[string]any{"people": []any{map[string]any{"object": "user", "id": userID, "name": "Dana"}}}
			props["Score"] = map[string]any{"formula": map[string]any{"type": "string", "string": "High"}}
			props["Total"] = map[string]any{"rollup": map[string]any{"type": "number", "number": 5, "function": "sum"}}
		case 2:
			props["Tags"] = map[string]any{"multi_select": []any{map[string]any{"name": "AI"}, map[string]any{"name": "Tips"}}}
			props["Email"] = map[string]any{"email": "a@example.com"}
			props["Related"] = map[string]any{"relation": []any{map[string]any{"id": RowID(1)}}}
		case 3:
			props["Phone"] = map[string]any{"phone_number": "+1 555 0100"}
		case 4:
			props["Status"] = map[string]any{"status": map[string]any{"name": "Done"}}
		}
		s.Pages = append(s.Pages, Page{ID: RowID(i), Title: fmt.Sprintf("Post %02d", i), Parent: calID, Properties: props})
	}
	return s
}

// raw sends a request and decodes the answer as plain JSON.
func raw(t *testing.T, h http.Handler, method, path, body string) (int, map[string]any) {
	t.Helper()
	return do(t, h, method, path, secret, body)
}

func titles(t *testing.T, res map[string]any) []string {
	t.Helper()
	out := []string{}
	for _, r := range res["results"].([]any) {
		out = append(out, pageTitle(t, r.(map[string]any)))
	}
	return out
}

func pageTitle(t *testing.T, page map[string]any) string {
	t.Helper()
	for _, v := range page["properties"].(map[string]any) {
		if prop := v.(map[string]any); prop["type"] == "title" {
			return plainText(prop["title"])
		}
	}
	t.Fatalf("no title in %v", page)
	return ""
}

// value is a page's value of a property, as the API shows it.
func value(page map[string]any, name string) any {
	prop := page["properties"].(map[string]any)[name].(map[string]any)
	return prop[prop["type"].(string)]
}

func query(t *testing.T, h http.Handler, body string) []string {
	t.Helper()
	status, res := raw(t, h, "POST", "/v1/databases/"+calID+"/query", body)
	require.Equal(t, 200, status, res)
	return titles(t, res)
}

func TestDatabaseSchema(t *testing.T) {
	api := New(calendar()).API()
	status, db := raw(t, api, "GET", "/v1/databases/"+calID, "")
	require.Equal(t, 200, status)
	props := db["properties"].(map[string]any)
	assert.Len(t, props, 16)
	for name, p := range props {
		p := p.(map[string]any)
		assert.Equal(t, name, p["name"])
		assert.NotEmpty(t, p["id"], name)
		assert.Contains(t, p, p["type"], "%s carries its configuration under its type", name)
	}
	assert.Equal(t, map[string]any{"id": "title", "name": "Name", "type": "title", "title": map[string]any{}}, props["Name"])
	assert.Equal(t, map[string]any{}, props["Topic"].(map[string]any)["rich_text"])
	status0 := props["Status"].(map[string]any)["status"].(map[string]any)
	assert.Equal(t, []any{}, status0["groups"])
	done := status0["options"].([]any)[2].(map[string]any)
	assert.Equal(t, "Done", done["name"])
	assert.Equal(t, "green", done["color"])
	assert.Regexp(t, `^[0-9a-f]{8}$`, done["id"])
	assert.Equal(t, "default", status0["options"].([]any)[0].(map[string]any)["color"])
	assert.Equal(t, map[string]any{"format": "number"}, props["Words"].(map[string]any)["number"])
	assert.Equal(t, map[string]any{"expression": "1"}, props["Score"].(map[string]any)["formula"])
	assert.Equal(t, map[string]any{"database_id": calID, "type": "single_property", "single_property": map[string]any{}}, props["Related"].(map[string]any)["relation"])
	rollup := props["Total"].(map[string]any)["rollup"].(map[string]any)
	assert.Equal(t, "sum", rollup["function"])
	assert.Equal(t, "Related", rollup["relation_property_name"])
	assert.Equal(t, props["Related"].(map[string]any)["id"], rollup["relation_property_id"])
	assert.Equal(t, "Words", rollup["rollup_property_name"])
	assert.Equal(t, map[string]any{}, props["Files"].(map[string]any)["files"])

	// The IDs are stable, and a property can be found by its ID.
	_, again := raw(t, New(calendar()).API(), "GET", "/v1/databases/"+calID, "")
	assert.Equal(t, props["Words"].(map[string]any)["id"], again["properties"].(map[string]any)["Words"].(map[string]any)["id"])

	// A database whose seed has no schema has a title property called Name.
	_, plain := raw(t, New(seed()).API(), "GET", "/v1/databases/"+dbID, "")
	assert.Equal(t, map[string]any{"Name": map[string]any{"id": "title", "name": "Name", "type": "title", "title": map[string]any{}}}, plain["properties"])
}

func TestRowValues(t *testing.T) {
	api := New(calendar()).API()
	status, row := raw(t, api, "GET", "/v1/pages/"+RowID(1), "")
	require.Equal(t, 200, status)
	assert.Equal(t, map[string]any{"type": "database_id", "database_id": calID}, row["parent"])
	assert.Len(t, row["properties"], 16)
	name := row["properties"].(map[string]any)["Name"].(map[string]any)
	assert.Equal(t, "title", name["id"])
	assert.Equal(t, "title", name["type"])
	item := value(row, "Topic").([]any)[0].(map[string]any)
	assert.Equal(t, "topic 1", item["plain_text"])
	assert.Nil(t, item["href"])
	assert.Equal(t, false, item["annotations"].(map[string]any)["bold"])
	assert.Equal(t, map[string]any{"id": optionID("Not started"), "name": "Not started", "color": "default"}, value(row, "Status"))
	assert.Equal(t, map[string]any{"id": optionID("Blog"), "name": "Blog", "color": "default"}, value(row, "Channel"))
	assert.Equal(t, []any{map[string]any{"id": optionID("AI"), "name": "AI", "color": "purple"}}, value(row, "Tags"))
	assert.Equal(t, map[string]any{"start": "2026-03-01", "end": nil, "time_zone": nil}, value(row, "Publish date"))
	assert.Equal(t, 100.0, value(row, "Words"))
	assert.Equal(t, "https://example.com/one", value(row, "Link"))
	assert.Equal(t, []any{map[string]any{"object": "user", "id": userID, "name": "Dana"}}, value(row, "Owner"))
	assert.Equal(t, map[string]any{"type": "string", "string": "High"}, value(row, "Score"))
	assert.Equal(t, map[string]any{"type": "number", "number": 5.0, "function": "sum"}, value(row, "Total"))

	_, row2 := raw(t, api, "GET", "/v1/pages/"+RowID(2), "")
	related := row2["properties"].(map[string]any)["Related"].(map[string]any)
	assert.Equal(t, []any{map[string]any{"id": RowID(1)}}, related["relation"])
	assert.Equal(t, false, related["has_more"])

	// Empty values are Notion's nulls.
	_, row7 := raw(t, api, "GET", "/v1/pages/"+RowID(7), "")
	for name, want := range map[string]any{
		"Status": nil, "Words": nil, "Link": nil, "Email": nil, "Phone": nil, "Ready": false,
		"Tags": []any{}, "Owner": []any{}, "Related": []any{}, "Files": []any{},
		"Score": map[string]any{"type": "string", "string": nil}, "Total": map[string]any{"type": "number", "number": nil, "function": "sum"},
	} {
		assert.Equal(t, want, value(row7, name), name)
	}
	_, row5 := raw(t, api, "GET", "/v1/pages/"+RowID(5), "")
	assert.Nil(t, value(row5, "Publish date"))
}

func TestQueryPages(t *testing.T) {
	api := New(calendar()).API()
	var got []string
	var sizes []int
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5)
		body := `{"page_size":5}`
		if cursor != "" {
			body = fmt.Sprintf(`{"page_size":5,"start_cursor":%q}`, cursor)
		}
		status, res := raw(t, api, "POST", "/v1/databases/"+calID+"/query", body)
		require.Equal(t, 200, status, res)
		assert.Equal(t, "list", res["object"])
		assert.Equal(t, "page_or_database", res["type"])
		assert.Equal(t, map[string]any{}, res["page_or_database"])
		assert.NotEmpty(t, res["request_id"])
		page := titles(t, res)
		got, sizes = append(got, page...), append(sizes, len(page))
		if res["has_more"] != true {
			assert.Nil(t, res["next_cursor"])
			break
		}
		cursor = res["next_cursor"].(string)
		assert.Equal(t, RowID(len(got)+1), cursor, "the cursor is the next row's ID")
	}
	assert.Equal(t, []int{5, 5, 2}, sizes)
	assert.Equal(t, "Post 01", got[0])
	assert.Equal(t, "Post 12", got[11])

	// The default page holds every row; a bare cursor works as well.
	assert.Len(t, query(t, api, `{}`), 12)
	assert.Len(t, query(t, api, ``), 12)
	assert.Equal(t, []string{"Post 11", "Post 12"}, query(t, api, `{"start_cursor":"`+strings.ReplaceAll(RowID(11), "-", "")+`"}`))

	// Only this database's rows outside the trash.
	s := New(calendar())
	s.Add(Seed{Pages: []Page{
		{ID: RowID(13), Title: "Gone", Parent: calID, Archived: true},
		{ID: RowID(14), Title: "Elsewhere", Connected: []string{"Bot"}},
	}})
	assert.Len(t, query(t, s.API(), `{}`), 12)
}

func TestQueryFilters(t *testing.T) {
	tests := []struct {
		name, filter string
		want         []string
	}{
		// Text.
		{"title contains, any case", `{"property":"Name","title":{"contains":"POST 1"}}`, []string{"Post 10", "Post 11", "Post 12"}},
		{"title by property id", `{"property":"title","title":{"equals":"Post 02"}}`, []string{"Post 02"}},
		{"title by rich_text, as notionapi filters it", `{"property":"Name","rich_text":{"equals":"Post 02"}}`, []string{"Post 02"}},
		{"url by rich_text", `{"property":"Link","rich_text":{"contains":"one"}}`, []string{"Post 01"}},
		{"title equals is exact", `{"property":"Name","title":{"equals":"post 02"}}`, []string{}},
		{"title does not equal", `{"and":[{"property":"Name","title":{"does_not_equal":"Post 02"}},{"property":"Words","number":{"less_than":400}}]}`, []string{"Post 01", "Post 03"}},
		{"title does not contain", `{"property":"Name","title":{"does_not_contain":"0"}}`, []string{"Post 11", "Post 12"}},
		{"title ends with", `{"property":"Name","title":{"ends_with":"2"}}`, []string{"Post 02", "Post 12"}},
		{"rich text starts with", `{"property":"Topic","rich_text":{"starts_with":"Topic 1"}}`, []string{"Post 01", "Post 10", "Post 11", "Post 12"}},
		{"url is not empty", `{"property":"Link","url":{"is_not_empty":true}}`, []string{"Post 01"}},
		{"email contains", `{"property":"Email","email":{"contains":"@EXAMPLE"}}`, []string{"Post 02"}},
		{"phone starts with", `{"property":"Phone","phone_number":{"starts_with":"+1"}}`, []string{"Post 03"}},
		// Numbers.
		{"number equals", `{"property":"Words","number":{"equals":300}}`, []string{"Post 03"}},
		{"number greater than", `{"property":"Words","number":{"greater_than":1000}}`, []string{"Post 11", "Post 12"}},
		{"number at least", `{"property":"Words","number":{"greater_than_or_equal_to":1100}}`, []string{"Post 11", "Post 12"}},
		{"number at most", `{"property":"Words","number":{"less_than_or_equal_to":200}}`, []string{"Post 01", "Post 02"}},
		{"number is empty", `{"property":"Words","number":{"is_empty":true}}`, []string{"Post 07"}},
		{"number does not equal counts empty", `{"and":[{"property":"Words","number":{"does_not_equal":100}},{"property":"Words","number":{"less_than":0}}]}`, []string{}},
		// Checkboxes and choices.
		{"checkbox", `{"property":"Ready","checkbox":{"equals":true}}`, []string{"Post 02", "Post 04", "Post 06", "Post 08", "Post 10", "Post 12"}},
		{"checkbox does not equal", `{"and":[{"property":"Ready","checkbox":{"does_not_equal":true}},{"property":"Words","number":{"less_than":400}}]}`, []string{"Post 01", "Post 03"}},
		{"select equals", `{"property":"Channel","select":{"equals":"Social"}}`, []string{"Post 03", "Post 06", "Post 09", "Post 12"}},
		{"select does not equal", `{"and":[{"property":"Channel","select":{"does_not_equal":"Blog"}},{"property":"Words","number":{"less_than":700}}]}`, []string{"Post 03", "Post 06"}},
		{"status equals", `{"property":"Status","status":{"equals":"Done"}}`, []string{"Post 04"}},
		{"status is not empty", `{"property":"Status","status":{"is_not_empty":true}}`, []string{"Post 01", "Post 04"}},
		{"select is empty", `{"property":"Channel","select":{"is_empty":true}}`, []string{}},
		{"multi-select contains", `{"property":"Tags","multi_select":{"contains":"Tips"}}`, []string{"Post 02"}},
		{"multi-select does not contain", `{"and":[{"property":"Tags","multi_select":{"does_not_contain":"Tips"}},{"property":"Tags","multi_select":{"is_not_empty":true}}]}`, []string{"Post 01"}},
		// Dates.
		{"date equals", `{"property":"Publish date","date":{"equals":"2026-03-04"}}`, []string{"Post 04"}},
		{"date before", `{"property":"Publish date","date":{"before":"2026-03-03"}}`, []string{"Post 01", "Post 02"}},
		{"date after, a date and time", `{"property":"Publish date","date":{"after":"2026-03-10T08:00:00Z"}}`, []string{"Post 11", "Post 12"}},
		{"date on or before", `{"property":"Publish date","date":{"on_or_before":"2026-03-02"}}`, []string{"Post 01", "Post 02"}},
		{"date on or after", `{"property":"Publish date","date":{"on_or_after":"2026-03-11"}}`, []string{"Post 11", "Post 12"}},
		{"date is empty", `{"property":"Publish date","date":{"is_empty":true}}`, []string{"Post 05"}},
		// People, relations, formulas and rollups.
		{"people contains", `{"property":"Owner","people":{"contains":"` + strings.ReplaceAll(userID, "-", "") + `"}}`, []string{"Post 01"}},
		{"relation contains", `{"property":"Related","relation":{"contains":"` + RowID(1) + `"}}`, []string{"Post 02"}},
		{"relation is empty", `{"and":[{"property":"Related","relation":{"is_empty":true}},{"property":"Words","number":{"less_than":300}}]}`, []string{"Post 01"}},
		{"files is empty", `{"property":"Files","files":{"is_not_empty":true}}`, []string{}},
		{"formula string", `{"property":"Score","formula":{"string":{"equals":"High"}}}`, []string{"Post 01"}},
		{"rollup number", `{"property":"Total","rollup":{"number":{"greater_than":4}}}`, []string{"Post 01"}},
		// Timestamps: every seeded row was made at the seed's time.
		{"created before", `{"timestamp":"created_time","created_time":{"before":"2026-01-05"}}`, []string{}},
		{"edited on", `{"and":[{"timestamp":"last_edited_time","last_edited_time":{"equals":"2026-01-05"}},{"property":"Words","number":{"equals":100}}]}`, []string{"Post 01"}},
		// Compound filters, two levels deep.
		{"and", `{"and":[{"property":"Ready","checkbox":{"equals":true}},{"property":"Words","number":{"greater_than":900}}]}`, []string{"Post 10", "Post 12"}},
		{"or", `{"or":[{"property":"Words","number":{"equals":100}},{"property":"Publish date","date":{"on_or_after":"2026-03-12"}}]}`, []string{"Post 01", "Post 12"}},
		{"or of ands", `{"or":[{"and":[{"property":"Channel","select":{"equals":"Social"}},{"property":"Ready","checkbox":{"equals":false}}]},{"property":"Name","title":{"equals":"Post 01"}}]}`, []string{"Post 01", "Post 03", "Post 09"}},
		{"empty and", `{"and":[]}`, nil},
	}
	api := New(calendar()).API()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := query(t, api, `{"filter":`+tc.filter+`}`)
			if tc.want == nil {
				assert.Len(t, got, 12)
				return
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestQueryRelativeDates(t *testing.T) {
	day := func(days int) string { return time.Now().UTC().AddDate(0, 0, days).Format(time.DateOnly) }
	sd := calendar()
	sd.Pages = nil
	for i, d := range []int{-40, -3, 0, 3, 40} {
		sd.Pages = append(sd.Pages, Page{ID: RowID(i + 1), Title: fmt.Sprint(d), Parent: calID, Properties: map[string]any{
			"Publish date": map[string]any{"date": map[string]any{"start": day(d)}},
		}})
	}
	s := New(sd)
	api := s.API()
	for op, want := range map[string][]string{
		"past_week": {"-3", "0"}, "next_week": {"0", "3"}, "past_month": {"-3", "0"}, "next_month": {"0", "3"},
		"past_year": {"-40", "-3", "0"}, "next_year": {"0", "3", "40"},
	} {
		assert.Equal(t, want, query(t, api, `{"filter":{"property":"Publish date","date":{"`+op+`":{}}}}`), op)
	}
	status, res := raw(t, api, "POST", "/v1/databases/"+calID+"/query", `{"filter":{"property":"Publish date","date":{"past_week":true}}}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "body failed validation: body.filter.date.past_week should be an empty object, instead was `true`.", res["message"])

	// A row made now was made this week; the seeded ones long before.
	status, _ = raw(t, api, "POST", "/v1/pages", `{"parent":{"database_id":"`+calID+`"},"properties":{"Name":{"title":[{"text":{"content":"new"}}]}}}`)
	require.Equal(t, 200, status)
	assert.Equal(t, []string{"new"}, query(t, api, `{"filter":{"timestamp":"created_time","created_time":{"past_week":{}}}}`))
	assert.Equal(t, []string{"new"}, query(t, api, `{"filter":{"timestamp":"last_edited_time","last_edited_time":{"this_week":{}}}}`))
}

func TestQuerySorts(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"number, descending", `{"filter":{"property":"Topic","rich_text":{"starts_with":"topic 1"}},"sorts":[{"property":"Words","direction":"descending"}]}`, []string{"Post 12", "Post 11", "Post 10", "Post 01"}},
		{"empty numbers last either way", `{"filter":{"property":"Words","number":{"does_not_equal":0}},"sorts":[{"property":"Words","direction":"ascending"}]}`, []string{"Post 01", "Post 02", "Post 03", "Post 04", "Post 05", "Post 06", "Post 08", "Post 09", "Post 10", "Post 11", "Post 12", "Post 07"}},
		{"empty numbers last descending", `{"filter":{"property":"Publish date","date":{"on_or_before":"2026-03-08"}},"sorts":[{"property":"Words","direction":"descending"}]}`, []string{"Post 08", "Post 06", "Post 04", "Post 03", "Post 02", "Post 01", "Post 07"}},
		{"select in option order, then title", `{"filter":{"property":"Words","number":{"less_than_or_equal_to":400}},"sorts":[{"property":"Channel","direction":"ascending"},{"property":"Name","direction":"descending"}]}`, []string{"Post 03", "Post 04", "Post 02", "Post 01"}},
		{"date by id", `{"filter":{"property":"Words","number":{"less_than_or_equal_to":600}},"sorts":[{"property":"Publish date","direction":"descending"}]}`, []string{"Post 06", "Post 04", "Post 03", "Post 02", "Post 01", "Post 05"}},
		{"checkbox", `{"filter":{"property":"Words","number":{"less_than_or_equal_to":400}},"sorts":[{"property":"Ready","direction":"descending"}]}`, []string{"Post 02", "Post 04", "Post 01", "Post 03"}},
		{"created time, descending keeps ties in order", `{"filter":{"property":"Words","number":{"less_than":300}},"sorts":[{"timestamp":"created_time","direction":"descending"}]}`, []string{"Post 01", "Post 02"}},
	}
	api := New(calendar()).API()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, query(t, api, tc.body))
		})
	}

	// A row made later sorts after the seeded ones by creation time.
	s := New(calendar())
	status, _ := raw(t, s.API(), "POST", "/v1/pages", `{"parent":{"database_id":"`+calID+`"},"properties":{"Name":{"title":[{"text":{"content":"Newest"}}]}}}`)
	require.Equal(t, 200, status)
	got := query(t, s.API(), `{"sorts":[{"timestamp":"created_time","direction":"descending"}],"page_size":2}`)
	assert.Equal(t, "Newest", got[0])
}

func TestQueryRefusesWhatNotionRefuses(t *testing.T) {
	q := "/v1/databases/" + calID + "/query"
	tests := []struct {
		name, path, body string
		status           int
		message          string
	}{
		{"unknown property", q, `{"filter":{"property":"Colour","select":{"equals":"x"}}}`, 400, "Could not find property with name or id: Colour"},
		{"wrong type", q, `{"filter":{"property":"Channel","checkbox":{"equals":true}}}`, 400, "body failed validation: body.filter.checkbox does not match the type of property Channel, which is select."},
		{"rich_text on a number", q, `{"filter":{"property":"Words","rich_text":{"equals":"1"}}}`, 400, "body failed validation: body.filter.rich_text does not match the type of property Words, which is number."},
		{"title and rich_text both", q, `{"filter":{"property":"Name","title":{"equals":"x"},"rich_text":{"equals":"x"}}}`, 400, "body failed validation: body.filter.rich_text should be not present, instead was `{\"equals\":\"x\"}`."},
		{"no condition", q, `{"filter":{"property":"Channel"}}`, 400, "body failed validation: body.filter.select should be defined, instead was `undefined`."},
		{"two conditions", q, `{"filter":{"property":"Ready","checkbox":{"equals":true,"does_not_equal":false}}}`, 400, "body failed validation: body.filter.checkbox should hold exactly one condition, instead was `{\"does_not_equal\":false,\"equals\":true}`."},
		{"unknown condition", q, `{"filter":{"property":"Name","title":{"near":"x"}}}`, 400, "body failed validation: body.filter.title.near should be not present, instead was `\"x\"`."},
		{"condition of another type", q, `{"filter":{"property":"Channel","select":{"contains":"x"}}}`, 400, "body failed validation: body.filter.select.contains should be not present, instead was `\"x\"`."},
		{"text condition not a string", q, `{"filter":{"property":"Topic","rich_text":{"contains":5}}}`, 400, "body failed validation: body.filter.rich_text.contains should be a string, instead was `5`."},
		{"number condition not a number", q, `{"filter":{"property":"Words","number":{"equals":"5"}}}`, 400, "body failed validation: body.filter.number.equals should be a number, instead was `\"5\"`."},
		{"checkbox condition not a boolean", q, `{"filter":{"property":"Ready","checkbox":{"equals":"yes"}}}`, 400, "body failed validation: body.filter.checkbox.equals should be a boolean, instead was `\"yes\"`."},
		{"is_empty false", q, `{"filter":{"property":"Status","status":{"is_empty":false}}}`, 400, "body failed validation: body.filter.status.is_empty should be `true`, instead was `false`."},
		{"bad date", q, `{"filter":{"property":"Publish date","date":{"after":"2026-02-30"}}}`, 400, "body failed validation: body.filter.date.after should be a valid ISO 8601 date string, instead was `\"2026-02-30\"`."},
		{"people by name", q, `{"filter":{"property":"Owner","people":{"contains":"Dana"}}}`, 400, "body failed validation: body.filter.people.contains should be a valid uuid, instead was `\"Dana\"`."},
		{"not an object", q, `{"filter":[]}`, 400, "body failed validation: body.filter should be an object, instead was `[]`."},
		{"error in a later or branch", q, `{"filter":{"or":[{"property":"Ready","checkbox":{"equals":false}},{"property":"Colour","select":{"equals":"x"}}]}}`, 400, "Could not find property with name or id: Colour"},
		{"too deep", q, `{"filter":{"and":[{"or":[{"and":[{"property":"Ready","checkbox":{"equals":true}}]}]}]}}`, 400, "body failed validation: body.filter.and[0].or[0].and should be not present: compound filters nest at most two levels deep."},
		{"and beside a property", q, `{"filter":{"and":[],"property":"Ready"}}`, 400, "body failed validation: body.filter.property should be not present, instead was `\"Ready\"`."},
		{"bad timestamp", q, `{"filter":{"timestamp":"deleted_time","deleted_time":{}}}`, 400, "body failed validation: body.filter.timestamp should be `\"created_time\"` or `\"last_edited_time\"`, instead was `\"deleted_time\"`."},
		{"bad cursor", q, `{"start_cursor":"nope"}`, 400, "start_cursor provided is invalid: nope"},
		{"cursor not a string", q, `{"start_cursor":null}`, 400, "body failed validation: body.start_cursor should be a string or `undefined`, instead was `null`."},
		{"page size too big", q, `{"page_size":101}`, 400, "body failed validation: body.page_size should be ≤ `100`, instead was `101`."},
		{"page size zero", q, `{"page_size":0}`, 400, "body failed validation: body.page_size should be ≥ `1`, instead was `0`."},
		{"page size text", q, `{"page_size":"5"}`, 400, "body failed validation: body.page_size should be a number, instead was `\"5\"`."},
		{"page size fraction", q, `{"page_size":2.5}`, 400, "body failed validation: body.page_size should be an integer, instead was `2.5`."},
		{"unknown key", q, `{"limit":5}`, 400, "body failed validation: body.limit should be not present, instead was `5`."},
		{"bad JSON", q, `{"filter":`, 400, "Error parsing JSON body."},
		{"unknown sort property", q, `{"sorts":[{"property":"Colour","direction":"ascending"}]}`, 400, "Could not find sort property with name or id: Colour"},
		{"bad direction", q, `{"sorts":[{"property":"Words","direction":"up"}]}`, 400, "body failed validation: body.sorts[0].direction should be `\"ascending\"` or `\"descending\"`, instead was `\"up\"`."},
		{"sort neither property nor timestamp", q, `{"sorts":[{"direction":"ascending"}]}`, 400, "body failed validation: body.sorts[0].property should be defined, instead was `undefined`."},
		{"sorts not an array", q, `{"sorts":{"property":"Words"}}`, 400, "body failed validation: body.sorts should be an array, instead was `{\"property\":\"Words\"}`."},
		{"not shared", "/v1/databases/" + dbID + "/query", `{}`, 404, "Could not find database with ID: " + dbID + ". Make sure the relevant pages and databases are shared with your integration."},
		{"a page", "/v1/databases/" + RowID(1) + "/query", `{}`, 400, "Provided ID " + RowID(1) + " is a page, not a database. Use the retrieve page API instead."},
	}
	api := New(calendar()).API()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, res := raw(t, api, "POST", tc.path, tc.body)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.message, res["message"])
			assert.Equal(t, "error", res["object"])
		})
	}

	// A filter is checked even when the database has no rows.
	empty := calendar()
	empty.Pages = nil
	status, res := raw(t, New(empty).API(), "POST", q, `{"filter":{"property":"Colour","select":{"equals":"x"}}}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "validation_error", res["code"])
}

var allValues = `{
	"Name":{"title":[{"type":"text","text":{"content":"Fresh ","link":{"url":"https://example.com"}},"annotations":{"bold":true}},{"type":"text","text":{"content":"start"}}]},
	"Topic":{"rich_text":[{"type":"text","text":{"content":"a topic"}}]},
	"Status":{"status":{"name":"In progress"}},
	"Channel":{"select":{"name":"Newsletter","color":"red"}},
	"Tags":{"multi_select":[{"name":"AI"},{"name":"Product"},{"name":"Product"}]},
	"Publish date":{"date":{"start":"2026-04-01T10:00:00+02:00","end":"2026-04-02"}},
	"Ready":{"checkbox":true},
	"Words":{"number":42.5},
	"Link":{"url":"https://example.com/fresh"},
	"Email":{"email":"b@example.com"},
	"Phone":{"phone_number":"+44 20 7946 0000"},
	"Owner":{"people":[{"object":"user","id":"` + userID + `"}]},
	"Related":{"relation":[{"id":"` + RowID(3) + `"}]}}`

func TestCreateRows(t *testing.T) {
	s := New(calendar())
	api := s.API()
	status, page := raw(t, api, "POST", "/v1/pages", `{"parent":{"type":"database_id","database_id":"`+strings.ReplaceAll(calID, "-", "")+`"},"properties":`+allValues+`,
		"icon":{"type":"emoji","emoji":"🚀"},"cover":{"type":"external","external":{"url":"https://example.com/c.png"}},
		"children":[{"object":"block","type":"paragraph","paragraph":{"rich_text":[{"type":"text","text":{"content":"Body"}}]}}]}`)
	require.Equal(t, 200, status, page)
	id := page["id"].(string)
	assert.True(t, isID(id))
	assert.NotEqual(t, RowID(13), id)
	assert.Equal(t, map[string]any{"type": "database_id", "database_id": calID}, page["parent"])
	assert.Equal(t, map[string]any{"type": "emoji", "emoji": "🚀"}, page["icon"])
	assert.Equal(t, "https://example.com/c.png", page["cover"].(map[string]any)["external"].(map[string]any)["url"])
	assert.Contains(t, page["url"], "Fresh-start-")
	assert.Len(t, s.Children(id), 1)

	// What was written reads back, in the API's shapes.
	status, got := raw(t, api, "GET", "/v1/pages/"+id, "")
	require.Equal(t, 200, status)
	for _, p := range []map[string]any{page, got} {
		assert.Equal(t, "Fresh start", pageTitle(t, p))
		first := value(p, "Name").([]any)[0].(map[string]any)
		assert.Equal(t, true, first["annotations"].(map[string]any)["bold"], "annotations are kept")
		assert.Equal(t, "https://example.com", first["href"])
		assert.Equal(t, "a topic", plainText(value(p, "Topic")))
		assert.Equal(t, "In progress", value(p, "Status").(map[string]any)["name"])
		assert.Equal(t, "blue", value(p, "Status").(map[string]any)["color"])
		assert.Equal(t, map[string]any{"id": optionID("Newsletter"), "name": "Newsletter", "color": "red"}, value(p, "Channel"))
		assert.Len(t, value(p, "Tags"), 3)
		assert.Equal(t, map[string]any{"start": "2026-04-01T10:00:00+02:00", "end": "2026-04-02", "time_zone": nil}, value(p, "Publish date"))
		assert.Equal(t, true, value(p, "Ready"))
		assert.Equal(t, 42.5, value(p, "Words"))
		assert.Equal(t, "https://example.com/fresh", value(p, "Link"))
		assert.Equal(t, "b@example.com", value(p, "Email"))
		assert.Equal(t, "+44 20 7946 0000", value(p, "Phone"))
		assert.Equal(t, []any{map[string]any{"object": "user", "id": userID}}, value(p, "Owner"))
		assert.Equal(t, []any{map[string]any{"id": RowID(3)}}, value(p, "Related"))
		assert.Equal(t, map[string]any{"type": "string", "string": nil}, value(p, "Score"))
	}
	assert.NotEqual(t, got["created_time"], "2026-01-05T09:30:00Z")

	// New options join the schema once, with the colour asked for.
	_, db := raw(t, api, "GET", "/v1/databases/"+calID, "")
	schema := db["properties"].(map[string]any)
	channel := schema["Channel"].(map[string]any)["select"].(map[string]any)["options"].([]any)
	assert.Equal(t, map[string]any{"id": optionID("Newsletter"), "name": "Newsletter", "color": "red"}, channel[2])
	assert.Len(t, schema["Tags"].(map[string]any)["multi_select"].(map[string]any)["options"], 3)

	// The row is found by later queries, and shown after the seeded rows.
	assert.Equal(t, []string{"Fresh start"}, query(t, api, `{"filter":{"property":"Channel","select":{"equals":"Newsletter"}}}`))
	all := query(t, api, `{}`)
	assert.Equal(t, "Fresh start", all[12])

	// A request refused leaves the schema as it was.
	status, _ = raw(t, api, "POST", "/v1/pages", `{"parent":{"database_id":"`+calID+`"},"properties":{"Channel":{"select":{"name":"Podcast"}},"Words":{"number":"x"}}}`)
	assert.Equal(t, 400, status)
	_, db = raw(t, api, "GET", "/v1/databases/"+calID, "")
	assert.Len(t, db["properties"].(map[string]any)["Channel"].(map[string]any)["select"].(map[string]any)["options"], 3)

	// Options by ID, and properties by ID.
	wordsID := schema["Words"].(map[string]any)["id"].(string)
	status, page = raw(t, api, "POST", "/v1/pages", `{"parent":{"database_id":"`+calID+`"},"properties":{"title":{"title":[]},"`+wordsID+`":{"type":"number","number":7},"Channel":{"select":{"id":"`+optionID("Social")+`"}}}}`)
	require.Equal(t, 200, status, page)
	assert.Equal(t, 7.0, value(page, "Words"))
	assert.Equal(t, "Social", value(page, "Channel").(map[string]any)["name"])
	assert.Equal(t, "", pageTitle(t, page))
	assert.Equal(t, []any{}, value(page, "Name"))

	// Under a page: a title only, and the page inherits its sharing.
	status, page = raw(t, api, "POST", "/v1/pages", `{"parent":{"page_id":"`+id+`"},"properties":{"title":{"title":[{"text":{"content":"Sub"}}]}}}`)
	require.Equal(t, 200, status, page)
	assert.Equal(t, map[string]any{"type": "page_id", "page_id": id}, page["parent"])
	assert.Equal(t, "Sub", pageTitle(t, page))
	status, _ = raw(t, api, "GET", "/v1/pages/"+page["id"].(string), "")
	assert.Equal(t, 200, status)
}

func TestCreateRefusesWhatNotionRefuses(t *testing.T) {
	long := strings.Repeat("a", 2001)
	under := func(props string) string {
		return `{"parent":{"database_id":"` + calID + `"},"properties":` + props + `}`
	}
	tests := []struct {
		name, token, body string
		status            int
		message           string
	}{
		{"no parent", secret, `{"properties":{}}`, 400, "body failed validation: body.parent should be defined, instead was `undefined`."},
		{"empty parent", secret, `{"parent":{},"properties":{}}`, 400, "body failed validation: body.parent.database_id should be defined, instead was `undefined`."},
		{"both parents", secret, `{"parent":{"database_id":"` + calID + `","page_id":"` + RowID(1) + `"},"properties":{}}`, 400, "body failed validation: body.parent should hold one of database_id, page_id, not several."},
		{"bad parent id", secret, `{"parent":{"database_id":"calendar"},"properties":{}}`, 400, "body failed validation: body.parent.database_id should be a valid uuid, instead was `\"calendar\"`."},
		{"parent type mismatch", secret, `{"parent":{"type":"page_id","database_id":"` + calID + `"},"properties":{}}`, 400, "body failed validation: body.parent.type should be `\"database_id\"`, instead was `\"page_id\"`."},
		{"workspace parent", secret, `{"parent":{"workspace":true},"properties":{}}`, 400, "body failed validation: body.parent.workspace should be not present, instead was `true`."},
		{"no properties", secret, `{"parent":{"database_id":"` + calID + `"}}`, 400, "body failed validation: body.properties should be defined, instead was `undefined`."},
		{"properties not an object", secret, under(`[]`), 400, "body failed validation: body.properties should be an object, instead was `[]`."},
		{"unknown key", secret, `{"parent":{"database_id":"` + calID + `"},"properties":{},"content":[]}`, 400, "body failed validation: body.content should be not present, instead was `[]`."},
		{"children not an array", secret, `{"parent":{"database_id":"` + calID + `"},"properties":{},"children":{}}`, 400, "body failed validation: body.children should be an array, instead was `{}`."},
		{"children as append refuses them", secret, `{"parent":{"database_id":"` + calID + `"},"properties":{},"children":[{"type":"video","video":{}}]}`, 400, "body failed validation: body.children[0].type should be a supported block type, instead was `\"video\"`."},
		{"too many children", secret, `{"parent":{"database_id":"` + calID + `"},"properties":{},"children":[` + strings.TrimSuffix(strings.Repeat(`{"type":"divider","divider":{}},`, 101), ",") + `]}`, 400, "body failed validation: body.children.length should be ≤ `100`, instead was `101`."},
		{"bad icon", secret, `{"parent":{"database_id":"` + calID + `"},"properties":{},"icon":{"type":"emoji"}}`, 400, "body failed validation: body.icon should be an emoji or an external file, instead was `{\"type\":\"emoji\"}`."},
		{"database not shared", secret, `{"parent":{"database_id":"` + dbID + `"},"properties":{}}`, 404, "Could not find database with ID: " + dbID + ". Make sure the relevant pages and databases are shared with your integration."},
		{"a page given as a database", secret, `{"parent":{"database_id":"` + RowID(1) + `"},"properties":{}}`, 404, "Could not find database with ID: " + RowID(1) + ". Make sure the relevant pages and databases are shared with your integration."},
		{"page not found", secret, `{"parent":{"page_id":"` + pageID + `"},"properties":{}}`, 404, "Could not find page with ID: " + pageID + ". Make sure the relevant pages and databases are shared with your integration."},
		{"no insert capability", "ntn_reader", under(`{}`), 403, "Insufficient permissions for this endpoint."},
		{"under a page, another property", secret, `{"parent":{"page_id":"` + RowID(1) + `"},"properties":{"Words":{"number":1}}}`, 400, "body failed validation: body.properties.Words should be not present: a page outside a database has only a title."},
		{"a long title", secret, under(`{"Name":{"title":[{"text":{"content":"` + long + `"}}]}}`), 400, "body failed validation: body.properties.Name.title[0].text.content.length should be ≤ `2000`, instead was `2001`."},
	}
	api := New(calendar()).API()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, res := do(t, api, "POST", "/v1/pages", tc.token, tc.body)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.message, res["message"])
		})
	}
}

func TestPropertyValuesAreValidated(t *testing.T) {
	long := strings.Repeat("a", 2001)
	tests := []struct {
		name, token, props string
		status             int
		message            string
	}{
		{"unknown property", secret, `{"Colour":{"select":{"name":"x"}}}`, 400, "Colour is not a property that exists."},
		{"wrong type", secret, `{"Channel":{"rich_text":[]}}`, 400, "Channel is expected to be select."},
		{"type key of another type", secret, `{"Channel":{"type":"rich_text","select":{"name":"Blog"}}}`, 400, "Channel is expected to be select."},
		{"a bare value", secret, `{"Words":5}`, 400, "Words is expected to be number."},
		{"formula is read-only", secret, `{"Score":{"formula":{"string":"x"}}}`, 400, "Score is a formula property, which cannot be set."},
		{"rollup is read-only", secret, `{"Total":{"rollup":{"number":1}}}`, 400, "Total is a rollup property, which cannot be set."},
		{"text too long", secret, `{"Topic":{"rich_text":[{"type":"text","text":{"content":"` + long + `"}}]}}`, 400, "body failed validation: body.properties.Topic.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`."},
		{"too many items", secret, `{"Topic":{"rich_text":[` + items(101) + `]}}`, 400, "body failed validation: body.properties.Topic.rich_text.length should be ≤ `100`, instead was `101`."},
		{"bad link", secret, `{"Topic":{"rich_text":[{"type":"text","text":{"content":"x","link":{"url":"javascript:x"}}}]}}`, 400, "body failed validation: body.properties.Topic.rich_text[0].text.link.url should be a valid URL, instead was `\"javascript:x\"`."},
		{"rich text not an array", secret, `{"Topic":{"rich_text":"hi"}}`, 400, "Topic is expected to be rich_text."},
		{"unknown status", secret, `{"Status":{"status":{"name":"Later"}}}`, 400, "Invalid status option. Status option \"Later\" does not exist for property \"Status\"."},
		{"comma in an option", secret, `{"Channel":{"select":{"name":"a, b"}}}`, 400, "body failed validation: body.properties.Channel.select.name should not contain commas."},
		{"comma in a multi-select option", secret, `{"Tags":{"multi_select":[{"name":"AI"},{"name":"a,b"}]}}`, 400, "body failed validation: body.properties.Tags.multi_select[1].name should not contain commas."},
		{"unknown option id", secret, `{"Channel":{"select":{"id":"zzzz"}}}`, 400, "body failed validation: body.properties.Channel.select.id should be the ID of an option of Channel, instead was `\"zzzz\"`."},
		{"option without a name", secret, `{"Channel":{"select":{}}}`, 400, "body failed validation: body.properties.Channel.select.name should be defined, instead was `undefined`."},
		{"multi-select not an array", secret, `{"Tags":{"multi_select":{"name":"AI"}}}`, 400, "Tags is expected to be multi_select."},
		{"bad date", secret, `{"Publish date":{"date":{"start":"next Tuesday"}}}`, 400, "body failed validation: body.properties.Publish date.date.start should be a valid ISO 8601 date string, instead was `\"next Tuesday\"`."},
		{"a day that does not exist", secret, `{"Publish date":{"date":{"start":"2026-02-30"}}}`, 400, "body failed validation: body.properties.Publish date.date.start should be a valid ISO 8601 date string, instead was `\"2026-02-30\"`."},
		{"bad end", secret, `{"Publish date":{"date":{"start":"2026-03-01","end":"soon"}}}`, 400, "body failed validation: body.properties.Publish date.date.end should be a valid ISO 8601 date string, instead was `\"soon\"`."},
		{"date as text", secret, `{"Publish date":{"date":"2026-03-01"}}`, 400, "Publish date is expected to be date."},
		{"number as text", secret, `{"Words":{"number":"ten"}}`, 400, "Words is expected to be number."},
		{"checkbox as text", secret, `{"Ready":{"checkbox":"yes"}}`, 400, "Ready is expected to be checkbox."},
		{"url as a number", secret, `{"Link":{"url":5}}`, 400, "Link is expected to be url."},
		{"email as a list", secret, `{"Email":{"email":["a@example.com"]}}`, 400, "Email is expected to be email."},
		{"person without an id", secret, `{"Owner":{"people":[{"name":"Dana"}]}}`, 400, "body failed validation: body.properties.Owner.people[0].id should be a valid uuid, instead was `null`."},
		{"relation to a name", secret, `{"Related":{"relation":[{"id":"Post 01"}]}}`, 400, "body failed validation: body.properties.Related.relation[0].id should be a valid uuid, instead was `\"Post 01\"`."},
		{"no insert capability", "ntn_reader", `{}`, 403, "Insufficient permissions for this endpoint."},
	}
	api := New(calendar()).API()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, res := do(t, api, "POST", "/v1/pages", tc.token, `{"parent":{"database_id":"`+calID+`"},"properties":`+tc.props+`}`)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.message, res["message"])
			status, res = do(t, api, "PATCH", "/v1/pages/"+RowID(1), tc.token, `{"properties":`+tc.props+`}`)
			assert.Equal(t, tc.status, status, "update")
			assert.Equal(t, tc.message, res["message"], "update")
		})
	}
	// Nothing refused was applied.
	assert.Len(t, query(t, api, `{}`), 12)
	_, row := raw(t, api, "GET", "/v1/pages/"+RowID(1), "")
	assert.Equal(t, "topic 1", plainText(value(row, "Topic")))
}

func items(n int) string {
	return strings.TrimSuffix(strings.Repeat(`{"type":"text","text":{"content":"x"}},`, n), ",")
}

func TestUpdateRows(t *testing.T) {
	s := New(calendar())
	api := s.API()
	row := RowID(1)
	status, page := raw(t, api, "PATCH", "/v1/pages/"+strings.ReplaceAll(row, "-", ""), `{"properties":{
		"Topic":{"rich_text":[{"type":"text","text":{"content":"updated","link":null},"plain_text":"updated","href":null}]},
		"Name":{"title":[{"type":"text","text":{"content":"Renamed"}}]},
		"Status":{"status":{"name":"Done"}},
		"Channel":{"select":null},
		"Words":{"number":null},
		"Publish date":{"date":null},
		"Tags":{"multi_select":[]},
		"Link":{"url":null}},
		"icon":{"type":"external","external":{"url":"https://example.com/i.png"}}}`)
	require.Equal(t, 200, status, page)
	assert.Equal(t, row, page["id"])
	assert.Equal(t, "updated", plainText(value(page, "Topic")))
	assert.Equal(t, "Renamed", pageTitle(t, page))
	assert.Contains(t, page["url"], "Renamed-")
	assert.Equal(t, "Done", value(page, "Status").(map[string]any)["name"])
	for _, name := range []string{"Channel", "Words", "Publish date", "Link"} {
		assert.Nil(t, value(page, name), name)
	}
	assert.Equal(t, []any{}, value(page, "Tags"))
	assert.Equal(t, "https://example.com/i.png", page["icon"].(map[string]any)["external"].(map[string]any)["url"])
	assert.Equal(t, []any{map[string]any{"object": "user", "id": userID, "name": "Dana"}}, value(page, "Owner"), "values left out stay")
	assert.NotEqual(t, page["created_time"], page["last_edited_time"])

	_, got := raw(t, api, "GET", "/v1/pages/"+row, "")
	assert.Equal(t, "Renamed", pageTitle(t, got))
	assert.Equal(t, []string{"Renamed"}, query(t, api, `{"filter":{"property":"Status","status":{"equals":"Done"},"type":"status"},"sorts":[{"property":"Name","direction":"descending"}],"page_size":1}`))

	// A page outside a database takes a title.
	s.Add(Seed{Pages: []Page{{ID: pageID, Title: "Plan", Connected: []string{"Bot"}}}})
	status, page = raw(t, api, "PATCH", "/v1/pages/"+pageID, `{"properties":{"title":{"title":[{"text":{"content":"Plan B"}}]}}}`)
	require.Equal(t, 200, status, page)
	assert.Equal(t, "Plan B", pageTitle(t, page))
}

func TestTrashThroughUpdate(t *testing.T) {
	for _, key := range []string{"archived", "in_trash"} {
		t.Run(key, func(t *testing.T) {
			api := New(calendar()).API()
			status, page := raw(t, api, "PATCH", "/v1/pages/"+RowID(2), `{"`+key+`":true}`)
			require.Equal(t, 200, status, page)
			assert.Equal(t, true, page["archived"])
			assert.Equal(t, true, page["in_trash"])
			assert.NotContains(t, query(t, api, `{}`), "Post 02")
			assert.Empty(t, query(t, api, `{"filter":{"property":"Name","title":{"equals":"Post 02"}}}`))

			for _, body := range []string{`{"properties":{"Ready":{"checkbox":false}}}`, `{"archived":true}`, `{}`} {
				status, res := raw(t, api, "PATCH", "/v1/pages/"+RowID(2), body)
				assert.Equal(t, 400, status, body)
				assert.Equal(t, "Can't edit block that is archived. You must unarchive the block before editing.", res["message"])
			}
			status, res := raw(t, api, "PATCH", "/v1/blocks/"+RowID(2)+"/children", `{"children":[{"type":"divider","divider":{}}]}`)
			assert.Equal(t, 400, status)
			assert.Equal(t, "Can't edit block that is archived. You must unarchive the block before editing.", res["message"])

			// Restoring may set values in the same request.
			status, page = raw(t, api, "PATCH", "/v1/pages/"+RowID(2), `{"`+key+`":false,"properties":{"Words":{"number":1}}}`)
			require.Equal(t, 200, status, page)
			assert.Equal(t, false, page["archived"])
			assert.Equal(t, 1.0, value(page, "Words"))
			assert.Contains(t, query(t, api, `{}`), "Post 02")
		})
	}
}

func TestUpdateRefusesWhatNotionRefuses(t *testing.T) {
	tests := []struct {
		name, token, id, body string
		status                int
		message               string
	}{
		{"unknown key", secret, RowID(1), `{"parent":{}}`, 400, "body failed validation: body.parent should be not present, instead was `{}`."},
		{"archived not a boolean", secret, RowID(1), `{"archived":"yes"}`, 400, "body failed validation: body.archived should be a boolean, instead was `\"yes\"`."},
		{"properties not an object", secret, RowID(1), `{"properties":null}`, 400, "body failed validation: body.properties should be an object, instead was `null`."},
		{"bad cover", secret, RowID(1), `{"cover":{"type":"file","file":{}}}`, 400, "body failed validation: body.cover should be an external file, instead was `{\"file\":{},\"type\":\"file\"}`."},
		{"not shared", secret, pageID, `{}`, 404, "Could not find page with ID: " + pageID + ". Make sure the relevant pages and databases are shared with your integration."},
		{"a database", secret, calID, `{}`, 400, "Provided ID " + calID + " is a database, not a page. Use the update database API instead."},
		{"no insert capability", "ntn_reader", RowID(1), `{"archived":true}`, 403, "Insufficient permissions for this endpoint."},
	}
	s := New(calendar())
	s.Add(Seed{Pages: []Page{{ID: pageID, Title: "Hidden", Connected: []string{"Someone"}}}})
	api := s.API()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, res := do(t, api, "PATCH", "/v1/pages/"+tc.id, tc.token, tc.body)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.message, res["message"])
		})
	}
	assert.Len(t, query(t, api, `{}`), 12)
}

func TestSeedsAreCopied(t *testing.T) {
	sd := calendar()
	s := New(sd)
	status, _ := raw(t, s.API(), "POST", "/v1/pages", `{"parent":{"database_id":"`+calID+`"},"properties":{"Channel":{"select":{"name":"Podcast"}}}}`)
	require.Equal(t, 200, status)
	assert.Len(t, sd.Databases[0].Properties[3].Options, 2, "the seed's schema is not changed")
	s.Reset(sd)
	_, db := raw(t, s.API(), "GET", "/v1/databases/"+calID, "")
	assert.Len(t, db["properties"].(map[string]any)["Channel"].(map[string]any)["select"].(map[string]any)["options"], 2)

	// A title given as a value names a page with no Title; values may be
	// keyed by property ID and given without their type.
	s.Add(Seed{Pages: []Page{{ID: RowID(20), Parent: calID, Properties: map[string]any{
		"title":   map[string]any{"title": text("From values")},
		"Channel": map[string]any{"id": optionID("Social")},
		"Words":   7,
	}}}})
	page, ok := s.Page(RowID(20))
	require.True(t, ok)
	assert.Equal(t, "From values", pageTitle(t, page))
	assert.Equal(t, "Social", value(page, "Channel").(map[string]any)["name"])
	assert.Equal(t, 7.0, value(page, "Words"))
}

func TestFaultsFindTheirPath(t *testing.T) {
	bare := strings.ReplaceAll(RowID(3), "-", "")
	tests := []struct {
		name, prefix, method, path, body string
	}{
		{"a page, bare in the fault", "/v1/pages/" + bare, "PATCH", "/v1/pages/" + RowID(3), `{}`},
		{"a page, dashed in the fault", "/v1/pages/" + RowID(3), "PATCH", "/v1/pages/" + bare, `{}`},
		{"a page, upper case", "/v1/pages/" + strings.ToUpper(RowID(3)), "GET", "/v1/pages/" + RowID(3), ``},
		{"new pages", "/v1/pages", "POST", "/v1/pages", `{}`},
		{"a query", "/v1/databases/" + calID + "/query", "POST", "/v1/databases/" + strings.ReplaceAll(calID, "-", "") + "/query", `{}`},
		{"a row's children", "/v1/blocks/" + bare + "/children", "PATCH", "/v1/blocks/" + RowID(3) + "/children", `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(calendar())
			s.Fail(Fault{Method: tc.method, PathPrefix: tc.prefix, Status: 502})
			status, res := raw(t, s.API(), tc.method, tc.path, tc.body)
			assert.Equal(t, 502, status)
			assert.Equal(t, "bad_gateway", res["code"])
			assert.Len(t, s.Requests(), 1, "the request is recorded")
		})
	}

	// A fault on one row leaves the others alone.
	s := New(calendar())
	s.Fail(Fault{Method: "PATCH", PathPrefix: "/v1/pages/" + RowID(3), Status: 500, Times: 5})
	status, _ := raw(t, s.API(), "PATCH", "/v1/pages/"+RowID(1), `{}`)
	assert.Equal(t, 200, status)
	status, _ = raw(t, s.API(), "PATCH", "/v1/pages/"+RowID(3), `{}`)
	assert.Equal(t, 500, status)
}

func TestADatabaseTabShowsItsRows(t *testing.T) {
	s := New(calendar())
	web := func(url string) (string, string) {
		_, body := getWeb(s, url+"?v=1&format=json")
		var page struct{ Title, HTML string }
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		return page.Title, page.HTML
	}
	dbURL := "https://www.notion.so/Calendar-" + strings.ReplaceAll(calID, "-", "")
	title, html := web(dbURL)
	assert.Equal(t, "Calendar", title)
	assert.Contains(t, html, "<th>Channel</th>")
	assert.Contains(t, html, ">Post 12</a>")
	assert.Contains(t, html, "<td>topic 12</td>")
	assert.Contains(t, html, "<td>Social</td>")
	assert.Contains(t, html, "<td>AI, Tips</td>")
	assert.Contains(t, html, "<td>2026-03-04</td>")
	assert.Contains(t, html, "<td>Dana</td>")
	assert.Contains(t, html, "<td>Post 01</td>", "a relation shows the related page's title")
	assert.Contains(t, html, "<td>High</td>")
	assert.Contains(t, html, "<td>5</td>")
	assert.Contains(t, html, "<td>☑</td>")
	assert.Equal(t, 12, strings.Count(html, "<tr data-block-id="))

	// Rows appear and leave as the API changes them.
	status, page := raw(t, s.API(), "POST", "/v1/pages", `{"parent":{"database_id":"`+calID+`"},"properties":{"Name":{"title":[{"text":{"content":"Live <row>"}}]},"Topic":{"rich_text":[{"text":{"content":"filled by Visen"}}]}},
		"children":[{"type":"paragraph","paragraph":{"rich_text":[{"text":{"content":"Row body"}}]}}]}`)
	require.Equal(t, 200, status)
	_, html = web(dbURL)
	assert.Contains(t, html, ">Live &lt;row&gt;</a>")
	assert.Contains(t, html, "<td>filled by Visen</td>")
	status, _ = raw(t, s.API(), "PATCH", "/v1/pages/"+RowID(1), `{"archived":true}`)
	require.Equal(t, 200, status)
	_, html = web(dbURL)
	assert.NotContains(t, html, ">Post 01</a>")
	assert.Equal(t, 12, strings.Count(html, "<tr data-block-id="))

	// A row's page is a page.
	title, html = web(page["url"].(string))
	assert.Equal(t, "Live <row>", title)
	assert.Contains(t, html, "Row body")
}
