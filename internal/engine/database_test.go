package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/fill"
	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

const calendarID = "5d4e3f2a-1b0c-4d9e-8f7a-6b5c4d3e2f1a"

// withCalendar adds a database with a schema and three rows.
func withCalendar(t *testing.T, w *world) []notion.Schema {
	t.Helper()
	var pages []fakenotion.Page
	for i, title := range []string{"Launch post", "Pricing FAQ", "Tips thread"} {
		pages = append(pages, fakenotion.Page{ID: fakenotion.RowID(i + 1), Title: title, Parent: calendarID, Properties: map[string]any{
			"Topic":   map[string]any{"rich_text": []any{map[string]any{"type": "text", "text": map[string]any{"content": "topic " + title}}}},
			"Channel": map[string]any{"select": map[string]any{"name": "Blog"}},
		}})
	}
	w.notion.Add(fakenotion.Seed{
		Databases: []fakenotion.Database{{ID: calendarID, Title: "Calendar", Connected: []string{bot}, Properties: []fakenotion.Property{
			{Name: "Name", Type: "title"},
			{Name: "Topic", Type: "rich_text"},
			{Name: "Channel", Type: "select", Options: []fakenotion.Option{{Name: "Blog"}, {Name: "Social"}}},
			{Name: "Words", Type: "number"},
			{Name: "Ready", Type: "checkbox"},
		}}},
		Pages: pages,
	})
	r := w.call(t, "inspectTarget", InspectRequest{URL: "https://www.notion.so/Calendar-" + calendarID + "?v=1", NotionSecret: secret})
	require.True(t, r.OK, "%+v", r.Error)
	raw, _ := json.Marshal(r.Data.(map[string]any)["properties"])
	var schema []notion.Schema
	require.NoError(t, json.Unmarshal(raw, &schema))
	return schema
}

func TestInspectADatabaseGivesItsProperties(t *testing.T) {
	w := newWorld(t)
	schema := withCalendar(t, w)
	var names []string
	for _, s := range schema {
		names = append(names, s.Name+":"+s.Type)
	}
	assert.Equal(t, []string{"Name:title", "Channel:select", "Ready:checkbox", "Topic:rich_text", "Words:number"}, names)
	assert.Equal(t, []string{"Blog", "Social"}, schema[1].Options)
}

func TestQueryRows(t *testing.T) {
	w := newWorld(t)
	schema := withCalendar(t, w)
	r := w.call(t, "queryRows", QueryRowsRequest{NotionSecret: secret, DatabaseID: calendarID, Schema: schema, Query: notion.RowQuery{PageSize: 2}})
	require.True(t, r.OK, "%+v", r.Error)
	data := r.Data.(map[string]any)
	assert.Len(t, data["rows"], 2)
	assert.NotEmpty(t, data["next"], "a further page")

	r = w.call(t, "queryRows", QueryRowsRequest{NotionSecret: secret, DatabaseID: calendarID, Schema: schema, Query: notion.RowQuery{Search: "pricing"}})
	require.True(t, r.OK, "%+v", r.Error)
	rows := r.Data.(map[string]any)["rows"].([]any)
	require.Len(t, rows, 1)
	assert.Equal(t, "Pricing FAQ", rows[0].(map[string]any)["title"])

	r = w.call(t, "queryRows", QueryRowsRequest{NotionSecret: secret, DatabaseID: calendarID, Schema: schema, Query: notion.RowQuery{Property: "Words", Value: "many"}})
	require.False(t, r.OK)
	assert.Equal(t, "invalid_filter", r.Error.Code)
	assert.Equal(t, "Words holds numbers: write a number to filter by.", r.Error.Message)
}

func TestPreviewNamesTheMistypedPlaceholder(t *testing.T) {
	w := newWorld(t)
	schema := withCalendar(t, w)
	r := w.call(t, "previewRow", PreviewRequest{NotionSecret: secret, Schema: schema, Template: "About {{Topc}} on {{Channel}}"})
	require.False(t, r.OK)
	assert.Equal(t, "invalid_template", r.Error.Code)
	assert.Contains(t, r.Error.Message, "Topc")
	assert.Contains(t, r.Error.Message, "{{Topic}}")
	require.NotEmpty(t, r.Error.Problems)

	row := w.row(t, fakenotion.RowID(1))
	r = w.call(t, "previewRow", PreviewRequest{NotionSecret: secret, Schema: schema, Template: "About {{Topic}} on {{Channel}}", Row: row})
	require.True(t, r.OK, "%+v", r.Error)
	assert.Equal(t, "About topic Launch post on Blog", r.Data.(map[string]any)["prompt"])
}

func fillRequest(schema []notion.Schema, template string, out fill.Output) FillRequest {
	req := FillRequest{
		JobID: "run-1", Writing: writing(),
		DatabaseID: calendarID, Schema: schema, Template: template, Output: out,
	}
	for i := 1; i <= 3; i++ {
		req.Run.Rows = append(req.Run.Rows, fill.Row{ID: fakenotion.RowID(i), Status: fill.Waiting})
	}
	return req
}

func (w *world) fill(t *testing.T, req FillRequest) (fill.Run, *Failure, int) {
	t.Helper()
	in, err := json.Marshal(req)
	require.NoError(t, err)
	updates := 0
	out := w.engine.Fill(context.Background(), in, func([]byte) { updates++ })
	var r struct {
		Data  fill.Run `json:"data"`
		Error *Failure `json:"error"`
	}
	require.NoError(t, json.Unmarshal(out, &r))
	return r.Data, r.Error, updates
}

func TestFillRunsTheTemplateOverTheRows(t *testing.T) {
	w := newWorld(t)
	schema := withCalendar(t, w)
	w.answers("Answer to: {{prompt}}")
	run, failure, updates := w.fill(t, fillRequest(schema, "Write about {{Topic}}.", fill.Output{Property: "Topic"}))
	require.Nil(t, failure)
	assert.Positive(t, updates)
	for i, row := range run.Rows {
		assert.Equal(t, fill.Written, row.Status, "row %d: %s", i, row.Message)
	}
	assert.Equal(t, "Answer to: Write about topic Pricing FAQ.", w.row(t, fakenotion.RowID(2)).Properties["Topic"].Text(nil))
}

func TestFillRefusesBadInputBeforeAnyRequest(t *testing.T) {
	w := newWorld(t)
	schema := withCalendar(t, w)
	before := len(w.notion.Requests())
	_, failure, _ := w.fill(t, fillRequest(schema, "Write about {{Topik}}.", fill.Output{}))
	require.NotNil(t, failure)
	assert.Equal(t, "invalid_template", failure.Code)
	_, failure, _ = w.fill(t, fillRequest(schema, "Write about {{Topic}}.", fill.Output{Property: "Words"}))
	require.NotNil(t, failure)
	assert.Equal(t, "Words is not a text property. Choose a text property, or the page body.", failure.Message)
	assert.Len(t, w.notion.Requests(), before)
}

func TestGenerateANewPageInADatabase(t *testing.T) {
	w := newWorld(t)
	schema := withCalendar(t, w)
	w.answers("# Autumn plans\n\nFirst, the harvest.\n")
	made, f := w.generate(t, GenerateRequest{
		JobID: "new-1", Writing: writing(), Prompt: "Plans",
		NewPage: &NewPage{DatabaseID: calendarID, Schema: schema, Values: map[string]string{"Channel": "Social", "Ready": "true"}},
	}, func(seenUpdate) {})
	require.Nil(t, f, "%+v", f)
	assert.Equal(t, "Autumn plans", made.Title)
	page, ok := w.notion.Page(made.PageID)
	require.True(t, ok)
	props := page["properties"].(map[string]any)
	assert.Equal(t, "Social", props["Channel"].(map[string]any)["select"].(map[string]any)["name"])
	assert.Equal(t, true, props["Ready"].(map[string]any)["checkbox"])
	kids := w.notion.Children(made.PageID)
	require.Len(t, kids, 1)
	assert.Equal(t, "paragraph", kids[0]["type"])

	// A property Visen cannot set is refused before anything is made.
	_, f = w.generate(t, GenerateRequest{JobID: "new-2", Writing: Writing{NotionSecret: secret}, Prompt: "x",
		NewPage: &NewPage{DatabaseID: calendarID, Schema: schema, Values: map[string]string{"Topic": "x"}}}, func(seenUpdate) {})
	require.NotNil(t, f)
	assert.Equal(t, "invalid_property", f.Code)
}

// TestANewPageIsMadeOnceWhenNotionsAnswerIsLost: Notion makes the page but
// its answer is lost, with a page titled alike there already; a title over
// the 1,000 UTF-16 units a lookup by title takes is made exactly once too.
func TestANewPageIsMadeOnceWhenNotionsAnswerIsLost(t *testing.T) {
	for _, title := range []string{"Autumn plans", strings.Repeat("Autumn plans 🍂 ", 80) + "end"} {
		t.Run(fmt.Sprintf("a title of %d characters", len([]rune(title))), func(t *testing.T) {
			w := newWorld(t)
			schema := withCalendar(t, w)
			// A page titled alike is there already, and must not be taken for ours.
			w.notion.Add(fakenotion.Seed{Pages: []fakenotion.Page{{ID: fakenotion.RowID(9), Title: title, Parent: calendarID}}})
			w.answers("# " + title + "\n\nFirst, the harvest.\n")
			w.notion.Fail(fakenotion.Fault{Method: "POST", PathPrefix: "/v1/pages", Reset: true, AfterApply: true})
			made, f := w.generate(t, GenerateRequest{
				JobID: "new-1", Writing: writing(), Prompt: "Plans",
				NewPage: &NewPage{DatabaseID: calendarID, Schema: schema},
			}, func(seenUpdate) {})
			require.Nil(t, f, "%+v", f)
			assert.NotEqual(t, fakenotion.RowID(9), made.PageID)
			assert.Equal(t, 2, len(rowsTitled(t, w, title)), "the old page and exactly one new one")
			creates, lookups := 0, 0
			for _, req := range w.notion.Requests() {
				switch {
				case req.Method == "POST" && req.Path == "/v1/pages":
					creates++
				case strings.HasSuffix(req.Path, "/query"):
					lookups++
				}
			}
			assert.Equal(t, 1, creates, "the lost answer is not followed by a second page")
			assert.Equal(t, 3, lookups, "before, after the lost answer, and the check above")
			assert.Len(t, w.notion.Children(made.PageID), 1)
		})
	}
}

// TestANewPageJobResumedAfterALostAnswerMakesNoSecondPage: the job
// stopped after asking Notion for its page, whose answer was lost; Notion
// had made it. Resumed from the snapshot, the job writes into that page.
func TestANewPageJobResumedAfterALostAnswerMakesNoSecondPage(t *testing.T) {
	for _, title := range []string{"Autumn plans", strings.Repeat("Autumn plans 🍂 ", 80) + "end"} {
		t.Run(fmt.Sprintf("a title of %d characters", len([]rune(title))), func(t *testing.T) {
			w := newWorld(t)
			schema := withCalendar(t, w)
			w.notion.Add(fakenotion.Seed{Pages: []fakenotion.Page{
				{ID: fakenotion.RowID(9), Title: title, Parent: calendarID},
				// Made by the request whose answer was lost.
				{ID: fakenotion.RowID(10), Title: title, Parent: calendarID},
			}})
			answer := "# " + title + "\n\nFirst, the harvest.\n"
			snap := &job.Snapshot{Phase: job.Failed, Markdown: answer, Generated: true, Written: []string{}, Sums: []string{},
				Creating: &job.Creating{Existing: []string{fakenotion.RowID(9)}, Asked: true}}
			made, f := w.generate(t, GenerateRequest{
				JobID: "new-1", Writing: writing(), Prompt: "Plans", Snapshot: snap,
				NewPage: &NewPage{DatabaseID: calendarID, Schema: schema},
			}, func(seenUpdate) {})
			require.Nil(t, f, "%+v", f)
			assert.Equal(t, fakenotion.Dashed(fakenotion.RowID(10)), fakenotion.Dashed(made.PageID), "the page Notion made")
			assert.Equal(t, 2, len(rowsTitled(t, w, title)), "no second page")
			assert.Len(t, w.notion.Children(fakenotion.RowID(10)), 1)
		})
	}
}

// row reads a row back from Notion.
func (w *world) row(t *testing.T, id string) *notion.Row {
	t.Helper()
	row, err := notion.New(w.engine.notionHTTP, secret).Row(context.Background(), id)
	require.NoError(t, err)
	return row
}

// rowsTitled are the calendar's rows with this title, read from Notion
// page by page.
func rowsTitled(t *testing.T, w *world, title string) []string {
	t.Helper()
	nc := notion.New(w.engine.notionHTTP, secret)
	source, err := nc.FirstSource(context.Background(), calendarID)
	require.NoError(t, err)
	rows, err := nc.QueryRows(context.Background(), source, nil, notion.RowQuery{PageSize: 100})
	require.NoError(t, err)
	var ids []string
	for _, row := range rows.Rows {
		if row.Title == title {
			ids = append(ids, row.ID)
		}
	}
	return ids
}

func writing() Writing {
	return Writing{NotionSecret: secret, AIConnection: AIConnection{BaseURL: "https://api.openai.com/v1", APIKey: aiKey}, Model: "gpt-5-mini"}
}
