package fakenotion

import (
	"context"
	"strings"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/testcert"
)

func realClient(s *Server, token string) *notionapi.Client {
	return notionapi.NewClient(notionapi.Token(token), notionapi.WithHTTPClient(testcert.Client(s.API())), notionapi.WithRetry(1))
}

// The real client reads what it needs from the fake's answers.
func TestRealClientReads(t *testing.T) {
	c := realClient(New(seed()), secret)
	ctx := context.Background()

	me, err := c.User.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Bot", me.Name)
	assert.Equal(t, notionapi.UserTypeBot, me.Type)
	assert.Equal(t, "WS", me.Bot.WorkspaceName)

	p, err := c.Page.Get(ctx, pageID)
	require.NoError(t, err)
	assert.Equal(t, notionapi.ObjectID(pageID), p.ID)
	assert.Equal(t, notionapi.Emoji("📈"), *p.Icon.Emoji)
	title := p.Properties["title"].(*notionapi.TitleProperty)
	assert.Equal(t, "Plan", title.Title[0].PlainText)

	d, err := c.Database.Get(ctx, dbID)
	require.NoError(t, err)
	assert.Equal(t, "Calendar", d.Title[0].PlainText)
	assert.Equal(t, "https://example.com/cal.png", d.Icon.External.URL)

	row, err := c.Page.Get(ctx, rowID)
	require.NoError(t, err, "a page in a shared database is shared too")
	assert.Equal(t, notionapi.ParentTypeDatabaseID, row.Parent.Type)
	assert.Equal(t, "Row", row.Properties["Name"].(*notionapi.TitleProperty).Title[0].PlainText)
}

func TestRealClientErrors(t *testing.T) {
	tests := []struct {
		name, token string
		call        func(*notionapi.Client) error
		wantStatus  int
		wantCode    notionapi.ErrorCode
		wantMessage string
	}{
		{
			name: "page not shared", token: secret,
			call:       func(c *notionapi.Client) error { _, err := c.Page.Get(context.Background(), otherID); return err },
			wantStatus: 404, wantCode: "object_not_found",
			wantMessage: "Could not find page with ID: " + otherID + ". Make sure the relevant pages and databases are shared with your integration.",
		},
		{
			name: "database not shared", token: "ntn_blind_reader",
			call:       func(c *notionapi.Client) error { _, err := c.Database.Get(context.Background(), dbID); return err },
			wantStatus: 404, wantCode: "object_not_found",
			wantMessage: "Could not find database with ID: " + dbID + ". Make sure the relevant pages and databases are shared with your integration.",
		},
		{
			name: "database through pages", token: secret,
			call:       func(c *notionapi.Client) error { _, err := c.Page.Get(context.Background(), dbID); return err },
			wantStatus: 400, wantCode: "validation_error",
			wantMessage: "Provided ID " + dbID + " is a database, not a page. Use the retrieve database API instead.",
		},
		{
			name: "page through databases", token: secret,
			call:       func(c *notionapi.Client) error { _, err := c.Database.Get(context.Background(), pageID); return err },
			wantStatus: 400, wantCode: "validation_error",
			wantMessage: "Provided ID " + pageID + " is a page, not a database. Use the retrieve page API instead.",
		},
		{
			name: "bad token", token: "ntn_wrong",
			call:       func(c *notionapi.Client) error { _, err := c.User.Me(context.Background()); return err },
			wantStatus: 401, wantCode: "unauthorized", wantMessage: "API token is invalid.",
		},
		{
			name: "no read capability", token: "ntn_blind",
			call:       func(c *notionapi.Client) error { _, err := c.User.Me(context.Background()); return err },
			wantStatus: 403, wantCode: "restricted_resource",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(seed())
			s.Add(Seed{Integrations: []Integration{{Secret: "ntn_blind_reader", Name: "Reader"}}})
			var apiErr *notionapi.Error
			require.ErrorAs(t, tt.call(realClient(s, tt.token)), &apiErr)
			assert.Equal(t, tt.wantStatus, apiErr.Status)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			if tt.wantMessage != "" {
				assert.Equal(t, tt.wantMessage, apiErr.Message)
			}
		})
	}
}

func paragraph(text string) notionapi.Block {
	return &notionapi.ParagraphBlock{
		BasicBlock: notionapi.BasicBlock{Object: notionapi.ObjectTypeBlock, Type: notionapi.BlockTypeParagraph},
		Paragraph:  notionapi.Paragraph{RichText: []notionapi.RichText{{Type: "text", Text: &notionapi.Text{Content: text}}}},
	}
}

func TestRealClientAppendsAndPages(t *testing.T) {
	c := realClient(New(seed()), secret)
	ctx := context.Background()
	first, err := c.Block.AppendChildren(ctx, pageID, &notionapi.AppendBlockChildrenRequest{Children: []notionapi.Block{paragraph("a"), paragraph("c")}})
	require.NoError(t, err)
	require.Len(t, first.Results, 2)
	_, err = c.Block.AppendChildren(ctx, pageID, &notionapi.AppendBlockChildrenRequest{
		After: first.Results[0].GetID(), Children: []notionapi.Block{paragraph("b")},
	})
	require.NoError(t, err)

	var texts []string
	pagination := &notionapi.Pagination{PageSize: 2}
	for {
		got, err := c.Block.GetChildren(ctx, pageID, pagination)
		require.NoError(t, err)
		for _, b := range got.Results {
			texts = append(texts, b.(*notionapi.ParagraphBlock).Paragraph.RichText[0].PlainText)
		}
		if !got.HasMore {
			break
		}
		pagination.StartCursor = notionapi.Cursor(got.NextCursor)
	}
	assert.Equal(t, "a b c", strings.Join(texts, " "))
}
