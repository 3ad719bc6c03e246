//go:build !js

package fakenotion

import (
	"context"
	"crypto/tls"
	"net/http/httptest"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testcert"
)

// The real client, over real TLS with the throwaway certificate, with the
// Notion host mapped to the fake.
func TestRealClientOverTLS(t *testing.T) {
	cert, err := testcert.New()
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(New(seed()).API())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	defer srv.Close()

	c := notionapi.NewClient(secret, notionapi.WithHTTPClient(testcert.MappedClient(srv.Listener.Addr().String(), cert)), notionapi.WithRetry(1))
	me, err := c.User.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Bot", me.Name)
	assert.Equal(t, "WS", me.Bot.WorkspaceName)

	p, err := c.Page.Get(context.Background(), pageID)
	require.NoError(t, err)
	assert.Equal(t, notionapi.ObjectID(pageID), p.ID)
	assert.Equal(t, notionapi.Emoji("📈"), *p.Icon.Emoji)

	_, err = c.Page.Get(context.Background(), otherID)
	var apiErr *notionapi.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, notionapi.ErrorCode("object_not_found"), apiErr.Code)
}
