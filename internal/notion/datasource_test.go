package notion_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notionurl"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

const (
	dsSecret    = "ntn_sources"
	booksID     = "b0000000-0000-4000-8000-000000000001"
	papersID    = "b0000000-0000-4000-8000-000000000002"
	papersView  = "b0000000-0000-4000-8000-0000000000f2"
	libraryID   = "a0000000-0000-4000-8000-000000000001"
	notesID     = "a0000000-0000-4000-8000-000000000002"
	firstBookID = "c0000000-0000-4000-8000-000000000001"
	archiveID   = "a0000000-0000-4000-8000-000000000003"
	oldBooksID  = "b0000000-0000-4000-8000-000000000003"
	oldBookView = "b0000000-0000-4000-8000-0000000000f3"
)

// library is a workspace with a database of two data sources, Books and
// Papers, each with its own schema and rows, and two databases of one:
// Notes, and Archive, whose source has a view of its own.
func library() *fakenotion.Server {
	return fakenotion.New(fakenotion.Seed{
		Integrations: []fakenotion.Integration{{Secret: dsSecret, Name: "Bot", Workspace: "WS"}},
		Databases: []fakenotion.Database{
			{ID: libraryID, Title: "Library", Connected: []string{"Bot"}, DataSources: []fakenotion.DataSource{
				{ID: booksID, Name: "Books", Properties: []fakenotion.Property{{Name: "Title", Type: "title"}, {Name: "Author", Type: "rich_text"}}},
				{ID: papersID, Name: "Papers", Views: []string{papersView}, Properties: []fakenotion.Property{{Name: "Title", Type: "title"}, {Name: "Venue", Type: "select", Options: []fakenotion.Option{{Name: "ACL"}}}}},
			}},
			{ID: notesID, Title: "Notes", Connected: []string{"Bot"}, Properties: []fakenotion.Property{{Name: "Name", Type: "title"}}},
			{ID: archiveID, Title: "Archive", Connected: []string{"Bot"}, DataSources: []fakenotion.DataSource{
				{ID: oldBooksID, Name: "Old books", Views: []string{oldBookView}, Properties: []fakenotion.Property{{Name: "Shelf", Type: "title"}}},
			}},
		},
		Pages: []fakenotion.Page{
			{ID: firstBookID, Title: "Dune", Parent: booksID},
			{ID: "c0000000-0000-4000-8000-000000000002", Title: "Attention", Parent: papersID},
			{ID: "c0000000-0000-4000-8000-000000000003", Title: "A note", Parent: notesID},
		},
	})
}

func libraryClient(fake *fakenotion.Server) *notion.Client {
	return notion.New(testworld.NotionHTTP(fake.API(), testworld.NoWait), dsSecret)
}

func TestLookupPicksADataSource(t *testing.T) {
	tests := []struct {
		name        string
		at          notionurl.Address
		source      string
		wantSources []notion.DataSource
		wantSource  string
		wantProps   []string
	}{
		{
			name: "a database of two sources starts on the first", at: notionurl.Address{ID: libraryID, Database: true},
			wantSources: []notion.DataSource{{ID: booksID, Name: "Books"}, {ID: papersID, Name: "Papers"}},
			wantSource:  booksID, wantProps: []string{"Title", "Author"},
		},
		{
			name: "a view shows its own source", at: notionurl.Address{ID: libraryID, Database: true, View: papersView},
			wantSources: []notion.DataSource{{ID: booksID, Name: "Books"}, {ID: papersID, Name: "Papers"}},
			wantSource:  papersID, wantProps: []string{"Title", "Venue"},
		},
		{
			name: "a view Notion does not know leaves the first", at: notionurl.Address{ID: libraryID, Database: true, View: "d0000000-0000-4000-8000-000000000009"},
			wantSources: []notion.DataSource{{ID: booksID, Name: "Books"}, {ID: papersID, Name: "Papers"}},
			wantSource:  booksID, wantProps: []string{"Title", "Author"},
		},
		{
			// A view's source is used only when it is one of the
			// database's: the rows of another database's source are not
			// this database's rows.
			name: "a view of another database's source leaves the first", at: notionurl.Address{ID: libraryID, Database: true, View: oldBookView},
			wantSources: []notion.DataSource{{ID: booksID, Name: "Books"}, {ID: papersID, Name: "Papers"}},
			wantSource:  booksID, wantProps: []string{"Title", "Author"},
		},
		{
			name: "the source chosen in the popup wins over the view", at: notionurl.Address{ID: libraryID, Database: true, View: papersView}, source: booksID,
			wantSources: []notion.DataSource{{ID: booksID, Name: "Books"}, {ID: papersID, Name: "Papers"}},
			wantSource:  booksID, wantProps: []string{"Title", "Author"},
		},
		{
			name: "a database found from a plain address", at: notionurl.Address{ID: libraryID},
			wantSources: []notion.DataSource{{ID: booksID, Name: "Books"}, {ID: papersID, Name: "Papers"}},
			wantSource:  booksID, wantProps: []string{"Title", "Author"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := libraryClient(library()).Lookup(context.Background(), tt.at, tt.source)
			require.NoError(t, err)
			assert.Equal(t, "database", got.Kind)
			assert.Equal(t, "Library", got.Title)
			assert.Equal(t, tt.wantSources, got.DataSources)
			assert.Equal(t, tt.wantSource, got.DataSourceID)
			var props []string
			for _, p := range got.Properties {
				props = append(props, p.Name)
			}
			assert.Equal(t, tt.wantProps, props)
		})
	}
}

func TestASingleSourceDatabaseWorksAsBefore(t *testing.T) {
	fake := library()
	c := libraryClient(fake)
	got, err := c.Lookup(context.Background(), notionurl.Address{ID: notesID, Database: true}, "")
	require.NoError(t, err)
	require.Len(t, got.DataSources, 1)
	assert.Equal(t, "Notes", got.DataSources[0].Name)
	first, err := c.FirstSource(context.Background(), notesID)
	require.NoError(t, err)
	assert.Equal(t, got.DataSourceID, first)
	rows, err := c.QueryRows(context.Background(), first, got.Properties, notion.RowQuery{})
	require.NoError(t, err)
	require.Len(t, rows.Rows, 1)
	assert.Equal(t, "A note", rows.Rows[0].Title)
}

func TestRowsAndNewPagesOnTheChosenSource(t *testing.T) {
	fake := library()
	c := libraryClient(fake)
	ctx := context.Background()
	papers, err := c.Lookup(ctx, notionurl.Address{ID: libraryID, Database: true}, papersID)
	require.NoError(t, err)

	rows, err := c.QueryRows(ctx, papersID, papers.Properties, notion.RowQuery{})
	require.NoError(t, err)
	require.Len(t, rows.Rows, 1)
	assert.Equal(t, "Attention", rows.Rows[0].Title)

	made, err := c.CreateRow(ctx, papersID, map[string]any{"Title": map[string]any{"title": []any{map[string]any{"text": map[string]any{"content": "Transformers"}}}}})
	require.NoError(t, err)
	assert.Equal(t, "Transformers", made.Title)
	ids, err := c.RowsTitled(ctx, papersID, "Transformers")
	require.NoError(t, err)
	assert.Equal(t, []string{made.ID}, ids)
	books, err := c.RowsTitled(ctx, booksID, "Transformers")
	require.NoError(t, err)
	assert.Empty(t, books, "the page is in Papers only")
}

// TestEachCallSendsItsVersion pins which Notion-Version each call sends:
// Visen's own client sends 2025-09-03 (2026-03-11 for an append at the
// top, which only it can place), notionapi 2022-06-28.
func TestEachCallSendsItsVersion(t *testing.T) {
	fake := library()
	c := libraryClient(fake)
	ctx := context.Background()
	_, err := c.Me(ctx)
	require.NoError(t, err)
	_, err = c.Lookup(ctx, notionurl.Address{ID: libraryID, Database: true, View: papersView}, "")
	require.NoError(t, err)
	_, err = c.QueryRows(ctx, papersID, nil, notion.RowQuery{})
	require.NoError(t, err)
	_, err = c.Row(ctx, firstBookID)
	require.NoError(t, err)
	made, err := c.AppendChildren(ctx, firstBookID, "", notion.Blocks{{"object": "block", "type": "heading_4", "heading_4": map[string]any{"rich_text": []any{map[string]any{"text": map[string]any{"content": "Four"}}}}}})
	require.NoError(t, err)
	require.Len(t, made, 1)
	assert.Equal(t, "heading_4", made[0]["type"], "heading_4 is sent and read back as it is")
	top, err := c.AppendAtStart(ctx, firstBookID, notion.Blocks{{"object": "block", "type": "divider", "divider": map[string]any{}}})
	require.NoError(t, err)
	require.Len(t, top, 1)
	kids, err := c.Children(ctx, firstBookID)
	require.NoError(t, err)
	require.Len(t, kids, 2)
	assert.Equal(t, []any{top[0]["id"], made[0]["id"]}, []any{kids[0]["id"], kids[1]["id"]}, "the divider went to the top")
	require.NoError(t, c.DeleteBlock(ctx, made[0]["id"].(string)))

	var got []string
	for _, r := range fake.Requests() {
		path := r.Path
		for _, id := range []string{libraryID, papersID, papersView, firstBookID, made[0]["id"].(string), top[0]["id"].(string)} {
			path = strings.ReplaceAll(path, id, "{id}")
		}
		got = append(got, r.Method+" "+path+" "+http.Header(r.Header).Get("Notion-Version"))
	}
	assert.Equal(t, []string{
		"GET /v1/users/me 2022-06-28",
		"GET /v1/databases/{id} 2025-09-03",
		"GET /v1/views/{id} 2025-09-03",
		"GET /v1/data_sources/{id} 2025-09-03",
		"POST /v1/data_sources/{id}/query 2025-09-03",
		"GET /v1/pages/{id} 2025-09-03",
		"PATCH /v1/blocks/{id}/children 2025-09-03",
		"PATCH /v1/blocks/{id}/children 2026-03-11",
		"GET /v1/blocks/{id}/children 2025-09-03",
		"DELETE /v1/blocks/{id} 2022-06-28",
	}, got)
}
