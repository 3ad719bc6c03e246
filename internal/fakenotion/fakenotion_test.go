package fakenotion

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	secret  = "ntn_fake_test_secret"
	pageID  = "1f0c8a2b-3d4e-4f5a-8b9c-0d1e2f3a4b5c"
	otherID = "2a1b9c8d-7e6f-40a1-b2c3-d4e5f6a7b8c9"
	dbID    = "4c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f"
)

func seed() Seed {
	return Seed{
		Integrations: []Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}, {Secret: "ntn_blind", Name: "Blind", NoRead: true}},
		Pages: []Page{
			{ID: pageID, Title: "Plan", Emoji: "📈", Connected: []string{"Bot"}},
			{ID: otherID, Title: "Hidden", Connected: []string{"Someone"}},
		},
		Databases: []Database{{ID: dbID, Title: "Calendar", Connected: []string{"Bot"}}},
	}
}

func do(t *testing.T, h http.Handler, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, "https://api.notion.com"+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Notion-Version", "2022-06-28")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	raw, _ := io.ReadAll(rec.Body)
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return rec.Code, out
}

func TestAPIAnswers(t *testing.T) {
	tests := []struct {
		name, method, path, token, body string
		wantStatus                      int
		wantCode                        string
		wantMessage                     string
	}{
		{name: "me", method: "GET", path: "/v1/users/me", token: secret, wantStatus: 200},
		{name: "no token", method: "GET", path: "/v1/users/me", wantStatus: 401, wantCode: "unauthorized", wantMessage: "API token is invalid."},
		{name: "wrong token", method: "GET", path: "/v1/users/me", token: "ntn_wrong", wantStatus: 401, wantCode: "unauthorized"},
		{name: "no read capability", method: "GET", path: "/v1/pages/" + pageID, token: "ntn_blind", wantStatus: 403, wantCode: "restricted_resource"},
		{name: "page undashed", method: "GET", path: "/v1/pages/" + strings.ReplaceAll(pageID, "-", ""), token: secret, wantStatus: 200},
		{name: "page not shared", method: "GET", path: "/v1/pages/" + otherID, token: secret, wantStatus: 404, wantCode: "object_not_found", wantMessage: "Could not find page with ID: " + otherID + ". Make sure the relevant pages and databases are shared with your integration."},
		{name: "database as page", method: "GET", path: "/v1/pages/" + dbID, token: secret, wantStatus: 400, wantCode: "validation_error", wantMessage: "is a database, not a page"},
		{name: "page as database", method: "GET", path: "/v1/databases/" + pageID, token: secret, wantStatus: 400, wantCode: "validation_error", wantMessage: "is a page, not a database"},
		{name: "database", method: "GET", path: "/v1/databases/" + dbID, token: secret, wantStatus: 200},
		{name: "unknown route", method: "GET", path: "/v1/nothing", token: secret, wantStatus: 400, wantCode: "invalid_request_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, New(seed()).API(), tt.method, tt.path, tt.token, tt.body)
			assert.Equal(t, tt.wantStatus, status)
			if tt.wantCode != "" {
				assert.Equal(t, "error", body["object"])
				assert.Equal(t, tt.wantCode, body["code"])
				assert.Contains(t, body["message"], tt.wantMessage)
				assert.NotEmpty(t, body["request_id"])
			}
		})
	}
}

func TestAppendAndListChildren(t *testing.T) {
	s := New(seed())
	para := func(text string) string {
		return `{"object":"block","type":"paragraph","paragraph":{"rich_text":[{"type":"text","text":{"content":"` + text + `"}}]}}`
	}
	status, first := do(t, s.API(), "PATCH", "/v1/blocks/"+pageID+"/children", secret, `{"children":[`+para("a")+`,`+para("c")+`]}`)
	require.Equal(t, 200, status)
	aID := first["results"].([]any)[0].(map[string]any)["id"].(string)
	status, _ = do(t, s.API(), "PATCH", "/v1/blocks/"+pageID+"/children", secret, `{"after":"`+aID+`","children":[`+para("b")+`]}`)
	require.Equal(t, 200, status)

	var texts []string
	for _, b := range s.Children(pageID) {
		texts = append(texts, plainOf(b["paragraph"].(map[string]any)["rich_text"]))
	}
	assert.Equal(t, []string{"a", "b", "c"}, texts)

	status, page := do(t, s.API(), "GET", "/v1/blocks/"+pageID+"/children?page_size=2", secret, "")
	require.Equal(t, 200, status)
	assert.Len(t, page["results"], 2)
	assert.Equal(t, true, page["has_more"])
	status, rest := do(t, s.API(), "GET", "/v1/blocks/"+pageID+"/children?page_size=2&start_cursor="+page["next_cursor"].(string), secret, "")
	require.Equal(t, 200, status)
	assert.Len(t, rest["results"], 1)
	assert.Equal(t, false, rest["has_more"])
}

func TestFaultsAndRecording(t *testing.T) {
	s := New(seed())
	s.Fail(Fault{Method: "GET", PathPrefix: "/v1/users", Status: 429, RetryAfter: 2, Times: 2})
	for range 2 {
		status, body := do(t, s.API(), "GET", "/v1/users/me", secret, "")
		assert.Equal(t, 429, status)
		assert.Equal(t, "rate_limited", body["code"])
	}
	status, _ := do(t, s.API(), "GET", "/v1/users/me", secret, "")
	assert.Equal(t, 200, status)
	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "api.notion.com", reqs[0].Host)
	assert.Equal(t, []string{"Bearer " + secret}, reqs[0].Header["Authorization"])
}

func TestWebPage(t *testing.T) {
	s := New(seed())
	rec := httptest.NewRecorder()
	s.Web().ServeHTTP(rec, httptest.NewRequest("GET", "https://www.notion.so/acme/Plan-"+strings.ReplaceAll(pageID, "-", ""), nil))
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, rec.Body.String(), "<title>📈 Plan</title>")

	rec = httptest.NewRecorder()
	s.Web().ServeHTTP(rec, httptest.NewRequest("GET", "https://www.notion.so/", nil))
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, rec.Body.String(), "<title>Notion</title>")
}
