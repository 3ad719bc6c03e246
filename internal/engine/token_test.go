package engine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckNotion: the setup checks a pasted token alone and learns what
// kind it is from Notion's answer, not from its prefix.
func TestCheckNotion(t *testing.T) {
	tests := []struct {
		name, token, wantKind, wantName, wantCode string
	}{
		{name: "an integration secret", token: secret, wantKind: "integration", wantName: bot},
		{name: "a personal access token", token: personal, wantKind: "personal", wantName: person},
		{name: "a revoked or mistyped token", token: "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", wantCode: "unauthorized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			r := w.call(t, "checkNotion", Settings{NotionSecret: tt.token})
			require.True(t, r.OK, "%+v", r.Error)
			got := r.Data.(map[string]any)
			if tt.wantCode != "" {
				assert.Equal(t, false, got["ok"])
				assert.Equal(t, tt.wantCode, got["error"].(map[string]any)["code"])
				assert.NotContains(t, got["error"].(map[string]any)["message"], tt.token)
				return
			}
			assert.Equal(t, true, got["ok"])
			assert.Equal(t, tt.wantKind, got["kind"])
			assert.Equal(t, tt.wantName, got["botName"])
			assert.Len(t, w.notion.Requests(), 1, "one look at /v1/users/me")
		})
	}
}

// TestFailuresSpeakTheTokensTerms: a page a token cannot open is put in
// that token's terms wherever it is met, in a look, a read or a job: the
// connect steps for an integration, and no access, with no connect step,
// for a person's token.
func TestFailuresSpeakTheTokensTerms(t *testing.T) {
	tests := []struct {
		name, token, page, wantCode string
		wantSteps                   bool
	}{
		{name: "an integration's unconnected page", token: secret, page: privateID, wantCode: "not_connected", wantSteps: true},
		{name: "a page the person cannot open", token: personal, page: gracesID, wantCode: "no_access"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(t *testing.T, f *Failure) {
				t.Helper()
				require.NotNil(t, f)
				assert.Equal(t, tt.wantCode, f.Code)
				if tt.wantSteps {
					assert.Contains(t, f.Steps, "Search for “"+bot+"” and choose it.")
					assert.Equal(t, bot, f.IntegrationName)
					return
				}
				assert.Empty(t, f.Steps)
				assert.Empty(t, f.IntegrationName)
				assert.NotContains(t, strings.ToLower(f.Message), "connect")
				assert.NotContains(t, strings.ToLower(f.Message), "integration")
			}
			w := newWorld(t)
			t.Run("read", func(t *testing.T) {
				r := w.call(t, "readPage", map[string]any{"notionSecret": tt.token, "pageId": tt.page})
				require.False(t, r.OK)
				check(t, r.Error)
			})
			t.Run("write", func(t *testing.T) {
				w.answers("Hello.\n")
				req := GenerateRequest{JobID: "j", Writing: writing(), Prompt: "P", PageID: tt.page}
				req.NotionSecret = tt.token
				_, f := w.generate(t, req, func(seenUpdate) {})
				check(t, f)
			})
		})
	}
}
