package testworld

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

const (
	secret = "ntn_testworld_secret"
	key    = "sk-testworld"
)

var seed = fakenotion.Seed{Integrations: []fakenotion.Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}}}

func status(t *testing.T, c *http.Client, url, token string) int {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Notion-Version", "2022-06-28")
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	return resp.StatusCode
}

// TestEachHostReachesItsFake: Notion's API host goes to the fake Notion,
// every other host to the fake model, each of which sees the request.
func TestEachHostReachesItsFake(t *testing.T) {
	w := New(t, WithNotion(seed), WithAI(fakeai.Config{Keys: []string{key}, Models: []string{"m"}}))
	me, err := w.NotionClient(secret).Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Bot", me.Name)
	assert.Len(t, w.Notion.Requests(), 1)

	for _, url := range []string{ModelURL + "/models", "https://openrouter.ai/api/v1/models", "http://localhost:11434/v1/models"} {
		assert.Equal(t, 200, status(t, w.HTTP(), url, key), url)
	}
	assert.Len(t, w.AI.Requests(), 3)
	assert.Len(t, w.Notion.Requests(), 1, "no model request reached Notion")
}

// TestAMissingFakeFails: a request for a fake the world was made without
// fails rather than reaching anything.
func TestAMissingFakeFails(t *testing.T) {
	_, err := New(t, WithNotion(seed)).HTTP().Get(ModelURL + "/models")
	assert.ErrorContains(t, err, "no fake model")
	_, err = New(t, WithAI(fakeai.Config{})).HTTP().Get("https://" + NotionHost + "/v1/users/me")
	assert.ErrorContains(t, err, "no fake Notion")
}

func TestLatency(t *testing.T) {
	w := New(t, WithNotion(seed), WithLatency(20*time.Millisecond))
	start := time.Now()
	_, err := w.NotionClient(secret).Me(context.Background())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
}

func TestDocuments(t *testing.T) {
	docs := Documents(t)
	assert.Greater(t, len(docs), 20)
	assert.Equal(t, docs["21-chat-article"], Document(t, "21-chat-article"))
	assert.NotEmpty(t, docs["21-chat-article"])
}
