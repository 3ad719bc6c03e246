package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

const (
	secret    = "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"
	otherKey  = "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"
	aiKey     = "sk-engine-test-key-0123456789"
	bot       = "Engine Bot"
	workspace = "Engine Workspace"
	pageID    = "1f0c8a2b-3d4e-4f5a-8b9c-0d1e2f3a4b5c"
	privateID = "2a1b9c8d-7e6f-40a1-b2c3-d4e5f6a7b8c9"
	trashID   = "3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e"
	dbID      = "4c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f"
	// personal is a personal access token of Ada's, who cannot open
	// Grace's page.
	personal = "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"
	person   = "Ada Lovelace"
	gracesID = "6f5e4d3c-2b1a-4c0d-9e8f-7a6b5c4d3e2f"
)

type world struct {
	notion *fakenotion.Server
	ai     *fakeai.Server
	engine *Engine
}

// newWorld wires an engine to in-process fakes, routed by host as the
// browser tests route real hosts, so it runs natively and under wasm alike.
func newWorld(t *testing.T) *world {
	t.Helper()
	tw := testworld.New(t,
		testworld.WithNotion(fakenotion.Seed{
			Integrations: []fakenotion.Integration{
				{Secret: secret, Name: bot, Workspace: workspace},
				{Secret: otherKey, Name: "Other", Workspace: workspace},
				{Secret: personal, Name: person, Email: "ada@example.com", Person: true},
			},
			Pages: []fakenotion.Page{
				{ID: pageID, Title: "Quarterly Plan", Emoji: "📈", Connected: []string{bot}},
				{ID: privateID, Title: "Private", Connected: []string{"Other"}},
				{ID: trashID, Title: "Old", Archived: true, Connected: []string{bot}},
				{ID: gracesID, Title: "Grace's notes", Private: "Grace Hopper"},
			},
			Databases: []fakenotion.Database{{ID: dbID, Title: "Content Calendar", Emoji: "🗓️", Connected: []string{bot}}},
		}),
		testworld.WithAI(fakeai.Config{Keys: []string{aiKey}, Models: []string{"gpt-5-mini", "gpt-4.1"}}),
	)
	return &world{notion: tw.Notion, ai: tw.AI, engine: New(tw.Transport(), notion.WithRate(1000, 1000))}
}

// answers makes the model answer every prompt with answer, as gpt-5-mini
// for aiKey.
func (w *world) answers(answer string) {
	w.ai.Configure(fakeai.Config{Keys: []string{aiKey}, Models: []string{"gpt-5-mini"}, Answer: answer})
}

func (w *world) call(t *testing.T, name string, payload any) Reply {
	t.Helper()
	in, err := json.Marshal(payload)
	require.NoError(t, err)
	var r struct {
		OK    bool            `json:"ok"`
		Data  json.RawMessage `json:"data"`
		Error *Failure        `json:"error"`
	}
	require.NoError(t, json.Unmarshal(w.engine.Call(context.Background(), name, in), &r))
	var data any
	if r.Data != nil {
		require.NoError(t, json.Unmarshal(r.Data, &data))
	}
	return Reply{OK: r.OK, Data: data, Error: r.Error}
}

func TestInspectTarget(t *testing.T) {
	tests := []struct {
		name, url, secret  string
		want               map[string]any
		wantCode, wantText string
		wantSteps          bool
	}{
		{
			name: "connected page", url: "https://www.notion.so/acme/Quarterly-Plan-1f0c8a2b3d4e4f5a8b9c0d1e2f3a4b5c#ffeeddccbbaa99887766554433221100", secret: secret,
			want: map[string]any{"kind": "page", "id": pageID, "title": "Quarterly Plan", "icon": map[string]any{"emoji": "📈"}, "blockId": "ffeeddcc-bbaa-9988-7766-554433221100"},
		},
		{
			name: "database guessed as a page first", url: "https://www.notion.so/4c3d2e1f0a9b4c8d9e7f6a5b4c3d2e1f", secret: secret,
			want: map[string]any{"kind": "database", "id": dbID, "title": "Content Calendar", "icon": map[string]any{"emoji": "🗓️"}},
		},
		{
			name: "database view", url: "https://www.notion.so/4c3d2e1f0a9b4c8d9e7f6a5b4c3d2e1f?v=aaaabbbbccccddddeeeeffff00001111", secret: secret,
			want: map[string]any{"kind": "database", "id": dbID, "title": "Content Calendar"},
		},
		{
			name: "peek view opens the page", url: "https://www.notion.so/4c3d2e1f0a9b4c8d9e7f6a5b4c3d2e1f?v=aaaabbbbccccddddeeeeffff00001111&p=1f0c8a2b3d4e4f5a8b9c0d1e2f3a4b5c&pm=s", secret: secret,
			want: map[string]any{"kind": "page", "id": pageID},
		},
		{name: "not notion", url: "https://example.com/", secret: secret, wantCode: "not_notion_url", wantText: "not a Notion page"},
		{name: "notion home", url: "https://www.notion.so/", secret: secret, wantCode: "no_target"},
		{name: "not configured", url: "https://www.notion.so/" + strings.ReplaceAll(pageID, "-", ""), wantCode: "not_configured", wantText: "Settings"},
		{name: "wrong secret", url: "https://www.notion.so/" + strings.ReplaceAll(pageID, "-", ""), secret: "ntn_wrong", wantCode: "unauthorized", wantText: "did not accept this token"},
		{
			name: "not connected names the integration", url: "https://www.notion.so/Private-" + strings.ReplaceAll(privateID, "-", ""), secret: secret,
			wantCode: "not_connected", wantText: "isn’t connected to Engine Bot", wantSteps: true,
		},
		{
			name: "a personal token opens a page no integration of its own is connected to", url: "https://www.notion.so/Private-" + strings.ReplaceAll(privateID, "-", ""), secret: personal,
			want: map[string]any{"kind": "page", "id": privateID, "title": "Private"},
		},
		{
			name: "a personal token's person has no access", url: "https://www.notion.so/" + strings.ReplaceAll(gracesID, "-", ""), secret: personal,
			wantCode: "no_access", wantText: "Your Notion account can’t open this page",
		},
		{name: "archived", url: "https://www.notion.so/" + strings.ReplaceAll(trashID, "-", ""), secret: secret, wantCode: "archived", wantText: "trash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			r := w.call(t, "inspectTarget", InspectRequest{URL: tt.url, NotionSecret: tt.secret})
			if tt.wantCode != "" {
				require.False(t, r.OK)
				assert.Equal(t, tt.wantCode, r.Error.Code)
				assert.Contains(t, r.Error.Message, tt.wantText)
				assert.NotContains(t, r.Error.Message, secret)
				if tt.wantSteps {
					assert.Equal(t, bot, r.Error.IntegrationName)
					assert.Contains(t, r.Error.Steps, "Search for “Engine Bot” and choose it.")
				} else {
					assert.Empty(t, r.Error.Steps)
					assert.NotContains(t, strings.ToLower(r.Error.Message), "connect")
				}
				return
			}
			require.True(t, r.OK, "%+v", r.Error)
			got := r.Data.(map[string]any)
			for k, v := range tt.want {
				assert.Equal(t, v, got[k], k)
			}
		})
	}
}

func TestTestConnection(t *testing.T) {
	tests := []struct {
		name               string
		settings           Settings
		wantNotion, wantAI string
		wantWho            notion.Integration
	}{
		{name: "both work", settings: Settings{NotionSecret: secret, AIConnection: AIConnection{BaseURL: "https://api.openai.com/v1", APIKey: aiKey}}},
		{
			name: "a personal token is its person", settings: Settings{NotionSecret: personal, AIConnection: AIConnection{BaseURL: "https://api.openai.com/v1", APIKey: aiKey}},
			wantWho: notion.Integration{Kind: notion.TokenPersonal, Name: person},
		},
		{name: "bad secret", settings: Settings{NotionSecret: "ntn_nope", AIConnection: AIConnection{BaseURL: "https://api.openai.com/v1", APIKey: aiKey}}, wantNotion: "unauthorized"},
		{name: "bad key", settings: Settings{NotionSecret: secret, AIConnection: AIConnection{BaseURL: "https://api.openai.com/v1", APIKey: "sk-nope"}}, wantAI: "ai_unauthorized"},
		{name: "gemini path", settings: Settings{NotionSecret: secret, AIConnection: AIConnection{BaseURL: "https://generativelanguage.googleapis.com/v1beta/openai", APIKey: aiKey}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			r := w.call(t, "testConnection", tt.settings)
			require.True(t, r.OK)
			raw, err := json.Marshal(r.Data)
			require.NoError(t, err)
			var rep ConnectionReport
			require.NoError(t, json.Unmarshal(raw, &rep))
			if tt.wantNotion == "" {
				assert.True(t, rep.Notion.OK)
				want := tt.wantWho
				if want == (notion.Integration{}) {
					want = notion.Integration{Kind: notion.TokenIntegration, Name: bot, Workspace: workspace}
				}
				assert.Equal(t, want, rep.Notion.Integration)
			} else {
				assert.Equal(t, tt.wantNotion, rep.Notion.Error.Code)
			}
			if tt.wantAI == "" {
				assert.True(t, rep.AI.OK)
				assert.Equal(t, 2, rep.AI.ModelCount)
			} else {
				assert.Equal(t, tt.wantAI, rep.AI.Error.Code)
			}

			// Each secret goes only to its own host.
			for _, req := range w.notion.Requests() {
				assert.NotContains(t, strings.Join(req.Header["Authorization"], " "), tt.settings.APIKey)
			}
			for _, req := range w.ai.Requests() {
				assert.NotContains(t, strings.Join(req.Header["Authorization"], " "), tt.settings.NotionSecret)
				assert.NotContains(t, req.Body, tt.settings.NotionSecret)
			}
		})
	}
}

func TestListModels(t *testing.T) {
	w := newWorld(t)
	r := w.call(t, "listModels", Settings{AIConnection: AIConnection{BaseURL: "https://openrouter.ai/api/v1", APIKey: aiKey}})
	require.True(t, r.OK)
	assert.Equal(t, map[string]any{"models": []any{"gpt-4.1", "gpt-5-mini"}}, r.Data)
}

func TestUnknownCallAndBadPayload(t *testing.T) {
	w := newWorld(t)
	r := w.call(t, "nope", map[string]any{})
	assert.Equal(t, "internal", r.Error.Code)
	var bad Reply
	require.NoError(t, json.Unmarshal(w.engine.Call(context.Background(), "inspectTarget", []byte("{")), &bad))
	assert.False(t, bad.OK)
	assert.Contains(t, bad.Error.Message, "malformed")
}
