//go:build !js

package fakenotion

import (
	"context"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/testcert"
)

// tlsClient is the real client on s served over TLS.
func tlsClient(t *testing.T, s *Server) *notionapi.Client {
	t.Helper()
	return notionapi.NewClient(secret, notionapi.WithHTTPClient(testcert.Serve(t, s.API())), notionapi.WithRetry(1))
}

// The real client, over real TLS with the throwaway certificate, with the
// Notion host mapped to the fake.
func TestRealClientOverTLS(t *testing.T) {
	s := New(seed())
	c := tlsClient(t, s)
	me, err := c.User.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Bot", me.Name)
	assert.Equal(t, "WS", me.Bot.WorkspaceName)

	p, err := c.Page.Get(context.Background(), pageID)
	require.NoError(t, err)
	assert.Equal(t, notionapi.Emoji("📈"), *p.Icon.Emoji)

	_, err = c.Page.Get(context.Background(), otherID)
	var apiErr *notionapi.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, notionapi.ErrorCode("object_not_found"), apiErr.Code)

	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "api.notion.com", reqs[0].Host)
	assert.Equal(t, []string{"2022-06-28"}, reqs[0].Header["Notion-Version"])
}

// A reset connection reaches the client as a network error; with
// AfterApply the blocks land all the same, which is what makes an append
// ambiguous.
func TestConnectionResetOverTLS(t *testing.T) {
	tests := []struct {
		name       string
		afterApply bool
		wantBlocks int
	}{
		{name: "before the write", wantBlocks: 0},
		{name: "after the write", afterApply: true, wantBlocks: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(seed())
			c := tlsClient(t, s)
			s.Fail(Fault{Method: "PATCH", PathPrefix: "/v1/blocks/", Reset: true, AfterApply: tt.afterApply})
			_, err := c.Block.AppendChildren(context.Background(), pageID, &notionapi.AppendBlockChildrenRequest{Children: []notionapi.Block{paragraph("a")}})
			require.Error(t, err)
			var apiErr *notionapi.Error
			assert.NotErrorAs(t, err, &apiErr)
			assert.Len(t, s.Children(pageID), tt.wantBlocks)
		})
	}
}
