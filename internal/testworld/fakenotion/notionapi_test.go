package fakenotion

import (
	"context"
	"testing"
	"time"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func calendarClient(t *testing.T) (*Server, *notionapi.Client) {
	t.Helper()
	s := New(calendar())
	return s, realClient(s, secret)
}

// TestNotionapiReadsDatabases decodes the fake's schemas, rows and lists
// with the client library, whose own decoding is stricter about shapes
// than plain JSON.
func TestNotionapiReadsDatabases(t *testing.T) {
	_, c := calendarClient(t)
	ctx := context.Background()
	db, err := c.Database.Get(ctx, calID)
	require.NoError(t, err)
	assert.Equal(t, "Calendar", db.Title[0].PlainText)
	require.Len(t, db.Properties, 16)
	assert.Equal(t, notionapi.PropertyConfigTypeTitle, db.Properties["Name"].GetType())
	status := db.Properties["Status"].(*notionapi.StatusPropertyConfig)
	assert.Equal(t, "Done", status.Status.Options[2].Name)
	assert.Equal(t, notionapi.Color("green"), status.Status.Options[2].Color)
	channel := db.Properties["Channel"].(*notionapi.SelectPropertyConfig)
	assert.Len(t, channel.Select.Options, 2)
	relation := db.Properties["Related"].(*notionapi.RelationPropertyConfig)
	assert.Equal(t, notionapi.DatabaseID(calID), relation.Relation.DatabaseID)
	assert.Equal(t, "1", db.Properties["Score"].(*notionapi.FormulaPropertyConfig).Formula.Expression)
	assert.Equal(t, "sum", string(db.Properties["Total"].(*notionapi.RollupPropertyConfig).Rollup.Function))

	// A filtered, sorted query, a page at a time.
	req := &notionapi.DatabaseQueryRequest{
		Filter: notionapi.OrCompoundFilter{
			notionapi.PropertyFilter{Property: "Channel", Select: &notionapi.SelectFilterCondition{Equals: "Social"}},
			notionapi.PropertyFilter{Property: "Tags", MultiSelect: &notionapi.MultiSelectFilterCondition{Contains: "AI"}},
		},
		Sorts:    []notionapi.SortObject{{Property: "Words", Direction: notionapi.SortOrderDESC}},
		PageSize: 3,
	}
	var got []string
	for range 5 {
		res, err := c.Database.Query(ctx, calID, req)
		require.NoError(t, err)
		for _, p := range res.Results {
			got = append(got, p.Properties["Name"].(*notionapi.TitleProperty).Title[0].PlainText)
		}
		if !res.HasMore {
			break
		}
		req.StartCursor = res.NextCursor
	}
	assert.Equal(t, []string{"Post 12", "Post 09", "Post 06", "Post 03", "Post 02", "Post 01"}, got)

	// A row's values decode into notionapi's property types.
	page, err := c.Page.Get(ctx, notionapi.PageID(RowID(1)))
	require.NoError(t, err)
	assert.Equal(t, notionapi.ParentTypeDatabaseID, page.Parent.Type)
	assert.Equal(t, "topic 1", page.Properties["Topic"].(*notionapi.RichTextProperty).RichText[0].PlainText)
	assert.Equal(t, "Not started", page.Properties["Status"].(*notionapi.StatusProperty).Status.Name)
	assert.Equal(t, "Blog", page.Properties["Channel"].(*notionapi.SelectProperty).Select.Name)
	assert.Equal(t, "AI", page.Properties["Tags"].(*notionapi.MultiSelectProperty).MultiSelect[0].Name)
	assert.Equal(t, 100.0, page.Properties["Words"].(*notionapi.NumberProperty).Number)
	assert.False(t, page.Properties["Ready"].(*notionapi.CheckboxProperty).Checkbox)
	assert.Equal(t, "https://example.com/one", page.Properties["Link"].(*notionapi.URLProperty).URL)
	assert.Equal(t, "Dana", page.Properties["Owner"].(*notionapi.PeopleProperty).People[0].Name)
	assert.Equal(t, "High", page.Properties["Score"].(*notionapi.FormulaProperty).Formula.String)
	assert.Equal(t, 5.0, page.Properties["Total"].(*notionapi.RollupProperty).Rollup.Number)
	date := page.Properties["Publish date"].(*notionapi.DateProperty).Date
	assert.Equal(t, "2026-03-01", time.Time(*date.Start).Format(time.DateOnly))
}

// TestNotionapiWritesRows creates and updates rows with the client
// library's request types.
func TestNotionapiWritesRows(t *testing.T) {
	s, c := calendarClient(t)
	ctx := context.Background()
	start := notionapi.Date(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	page, err := c.Page.Create(ctx, &notionapi.PageCreateRequest{
		Parent: notionapi.Parent{Type: notionapi.ParentTypeDatabaseID, DatabaseID: calID},
		Properties: notionapi.Properties{
			"Name":         notionapi.TitleProperty{Title: []notionapi.RichText{{Text: &notionapi.Text{Content: "Via notionapi"}}}},
			"Topic":        notionapi.RichTextProperty{RichText: []notionapi.RichText{{Text: &notionapi.Text{Content: "a topic"}}}},
			"Status":       notionapi.StatusProperty{Status: notionapi.Status{Name: "Done"}},
			"Channel":      notionapi.SelectProperty{Select: notionapi.Option{Name: "Podcast"}},
			"Tags":         notionapi.MultiSelectProperty{MultiSelect: []notionapi.Option{{Name: "Tips"}}},
			"Publish date": notionapi.DateProperty{Date: &notionapi.DateObject{Start: &start}},
			"Words":        notionapi.NumberProperty{Number: 250},
			"Link":         notionapi.URLProperty{URL: "https://example.com/n"},
			"Email":        notionapi.EmailProperty{Email: "n@example.com"},
			"Phone":        notionapi.PhoneNumberProperty{PhoneNumber: "+1 555 0101"},
			"Owner":        notionapi.PeopleProperty{People: []notionapi.User{{Object: "user", ID: userID}}},
			"Related":      notionapi.RelationProperty{Relation: []notionapi.Relation{{ID: notionapi.PageID(RowID(2))}}},
		},
		Children: []notionapi.Block{paragraph("Written with notionapi")},
		Icon:     &notionapi.Icon{Type: "emoji", Emoji: ptr(notionapi.Emoji("📝"))},
	})
	require.NoError(t, err)
	assert.Equal(t, "Podcast", page.Properties["Channel"].(*notionapi.SelectProperty).Select.Name)
	assert.Equal(t, "📝", string(*page.Icon.Emoji))
	assert.Len(t, s.Children(string(page.ID)), 1)

	updated, err := c.Page.Update(ctx, notionapi.PageID(page.ID), &notionapi.PageUpdateRequest{
		Properties: notionapi.Properties{
			"Ready":   notionapi.CheckboxProperty{Checkbox: true},
			"Summary": notionapi.RichTextProperty{},
		},
	})
	assert.Nil(t, updated)
	var apiErr *notionapi.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.Status)
	assert.Equal(t, "Summary is not a property that exists.", apiErr.Message)

	updated, err = c.Page.Update(ctx, notionapi.PageID(page.ID), &notionapi.PageUpdateRequest{
		Properties: notionapi.Properties{"Ready": notionapi.CheckboxProperty{Checkbox: true}},
	})
	require.NoError(t, err)
	assert.True(t, updated.Properties["Ready"].(*notionapi.CheckboxProperty).Checkbox)
	assert.Equal(t, 250.0, updated.Properties["Words"].(*notionapi.NumberProperty).Number)

	res, err := c.Database.Query(ctx, calID, &notionapi.DatabaseQueryRequest{
		Filter: notionapi.PropertyFilter{Property: "Channel", Select: &notionapi.SelectFilterCondition{Equals: "Podcast"}},
	})
	require.NoError(t, err)
	require.Len(t, res.Results, 1)
	assert.Equal(t, page.ID, res.Results[0].ID)

	// Into the trash, and out of every query.
	_, err = c.Page.Update(ctx, notionapi.PageID(page.ID), &notionapi.PageUpdateRequest{Archived: true, Properties: notionapi.Properties{}})
	require.NoError(t, err)
	res, err = c.Database.Query(ctx, calID, &notionapi.DatabaseQueryRequest{})
	require.NoError(t, err)
	assert.Len(t, res.Results, 12)
}

func ptr[T any](v T) *T { return &v }
