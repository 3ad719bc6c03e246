package engine

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/fill"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

const (
	libraryID  = "7a000000-0000-4000-8000-000000000001"
	booksID    = "7b000000-0000-4000-8000-000000000001"
	papersID   = "7b000000-0000-4000-8000-000000000002"
	papersView = "7b000000-0000-4000-8000-0000000000f2"
	paperRow   = "7c000000-0000-4000-8000-000000000002"
)

// withLibrary adds a database of two data sources, Books and Papers, each
// with a text property of its own and one row.
func withLibrary(w *world) {
	w.notion.Add(fakenotion.Seed{
		Databases: []fakenotion.Database{{ID: libraryID, Title: "Library", Connected: []string{bot}, DataSources: []fakenotion.DataSource{
			{ID: booksID, Name: "Books", Properties: []fakenotion.Property{{Name: "Name", Type: "title"}, {Name: "Blurb", Type: "rich_text"}}},
			{ID: papersID, Name: "Papers", Views: []string{papersView}, Properties: []fakenotion.Property{{Name: "Name", Type: "title"}, {Name: "Summary", Type: "rich_text"}}},
		}}},
		Pages: []fakenotion.Page{
			{ID: "7c000000-0000-4000-8000-000000000001", Title: "Dune", Parent: booksID},
			{ID: paperRow, Title: "Attention", Parent: papersID},
		},
	})
}

// inspected is what the popup's picker is drawn from.
type inspected struct {
	DataSources  []notion.DataSource `json:"dataSources"`
	DataSourceID string              `json:"dataSourceId"`
	Properties   []notion.Schema     `json:"properties"`
}

func (w *world) inspect(t *testing.T, req InspectRequest) inspected {
	t.Helper()
	r := w.call(t, "inspectTarget", req)
	require.True(t, r.OK, "%+v", r.Error)
	raw, err := json.Marshal(r.Data)
	require.NoError(t, err)
	var got inspected
	require.NoError(t, json.Unmarshal(raw, &got))
	return got
}

func TestThePickersData(t *testing.T) {
	both := []notion.DataSource{{ID: booksID, Name: "Books"}, {ID: papersID, Name: "Papers"}}
	tests := []struct {
		name       string
		req        InspectRequest
		wantSource string
		wantProp   string
	}{
		{name: "the database's address", req: InspectRequest{URL: "https://www.notion.so/Library-" + libraryID}, wantSource: booksID, wantProp: "Blurb"},
		{name: "a view of Papers", req: InspectRequest{URL: "https://www.notion.so/" + libraryID + "?v=" + papersView}, wantSource: papersID, wantProp: "Summary"},
		{name: "Books picked over the view", req: InspectRequest{URL: "https://www.notion.so/" + libraryID + "?v=" + papersView, DataSourceID: booksID}, wantSource: booksID, wantProp: "Blurb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			withLibrary(w)
			tt.req.NotionSecret = secret
			got := w.inspect(t, tt.req)
			assert.Equal(t, both, got.DataSources)
			assert.Equal(t, tt.wantSource, got.DataSourceID)
			var names []string
			for _, p := range got.Properties {
				names = append(names, p.Name)
			}
			assert.Equal(t, []string{"Name", tt.wantProp}, names)
		})
	}
}

func TestRowsFillAndNewPageOnTheChosenSource(t *testing.T) {
	w := newWorld(t)
	withLibrary(w)
	papers := w.inspect(t, InspectRequest{URL: "https://www.notion.so/" + libraryID + "?v=" + papersView, NotionSecret: secret})

	r := w.call(t, "queryRows", QueryRowsRequest{NotionSecret: secret, DatabaseID: libraryID, DataSourceID: papersID, Schema: papers.Properties})
	require.True(t, r.OK, "%+v", r.Error)
	rows := r.Data.(map[string]any)["rows"].([]any)
	require.Len(t, rows, 1)
	assert.Equal(t, "Attention", rows[0].(map[string]any)["title"])

	w.answers("Answer to: {{prompt}}")
	req := FillRequest{JobID: "run-papers", Writing: writing(), DatabaseID: libraryID, DataSourceID: papersID,
		Schema: papers.Properties, Template: "Summarise {{Name}}.", Output: fill.Output{Property: "Summary"}}
	req.Run.Rows = []fill.Row{{ID: paperRow, Status: fill.Waiting}}
	run, failure, _ := w.fill(t, req)
	require.Nil(t, failure)
	require.Equal(t, fill.Written, run.Rows[0].Status, run.Rows[0].Message)
	assert.Equal(t, "Answer to: Summarise Attention.", w.row(t, paperRow).Properties["Summary"].Text(nil))

	w.answers("# Transformers\n\nAttention is all.\n")
	_, f := w.generate(t, GenerateRequest{JobID: "new-paper", Writing: writing(), Prompt: "A paper",
		NewPage: &NewPage{DatabaseID: libraryID, DataSourceID: papersID, Schema: papers.Properties}}, func(seenUpdate) {})
	require.Nil(t, f, "%+v", f)
	c := notion.New(w.engine.notionHTTP, secret)
	inPapers, err := c.RowsTitled(context.Background(), papersID, "Transformers")
	require.NoError(t, err)
	assert.Len(t, inPapers, 1)
	inBooks, err := c.RowsTitled(context.Background(), booksID, "Transformers")
	require.NoError(t, err)
	assert.Empty(t, inBooks)
}
