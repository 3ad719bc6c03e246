package fakenotion

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/testcert"
)

const (
	secret  = "ntn_fake_test_secret"
	pageID  = "1f0c8a2b-3d4e-4f5a-8b9c-0d1e2f3a4b5c"
	otherID = "2a1b9c8d-7e6f-40a1-b2c3-d4e5f6a7b8c9"
	dbID    = "4c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f"
	rowID   = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
)

func seed() Seed {
	return Seed{
		Integrations: []Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}, {Secret: "ntn_blind", Name: "Blind", NoRead: true}},
		Pages: []Page{
			{ID: pageID, Title: "Plan", Emoji: "📈", Connected: []string{"Bot"}},
			{ID: otherID, Title: "Hidden", Connected: []string{"Someone"}},
			{ID: rowID, Title: "Row", Parent: dbID},
		},
		Databases: []Database{{ID: dbID, Title: "Calendar", IconURL: "https://example.com/cal.png", Connected: []string{"Bot"}}},
	}
}

func do(t *testing.T, h http.Handler, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	return doOn(t, h, Version20220628, method, path, token, body)
}

// doOn sends a request to h on a Notion-Version and decodes the answer.
func doOn(t *testing.T, h http.Handler, version, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, "https://api.notion.com"+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Notion-Version", version)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	raw, _ := io.ReadAll(rec.Body)
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return rec.Code, out
}

// getWeb gets url from the fake's web pages, returning the status and
// the body.
func getWeb(s *Server, url string) (int, string) {
	rec := httptest.NewRecorder()
	s.Web().ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
	return rec.Code, rec.Body.String()
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

func TestMissingVersion(t *testing.T) {
	req := httptest.NewRequest("GET", "https://api.notion.com/v1/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	rec := httptest.NewRecorder()
	New(seed()).API().ServeHTTP(rec, req)
	assert.Equal(t, 400, rec.Code)
	assert.Contains(t, rec.Body.String(), `"code":"missing_version"`)
}

func TestFaultKinds(t *testing.T) {
	para := `{"children":[{"object":"block","type":"paragraph","paragraph":{"rich_text":[]}}]}`
	tests := []struct {
		name                string
		fault               Fault
		wantStatus          int
		wantCode, wantRetry string
		wantNetErr          bool
		wantBlocks          int
		// wantLater, when not 0, is how many blocks there are a moment
		// after the answer.
		wantLater      int
		wantSlowerThan time.Duration
	}{
		{name: "rate limited", fault: Fault{Status: 429, RetryAfter: 3}, wantStatus: 429, wantCode: "rate_limited", wantRetry: "3"},
		{name: "internal", fault: Fault{Status: 500}, wantStatus: 500, wantCode: "internal_server_error"},
		{name: "bad gateway", fault: Fault{Status: 502}, wantStatus: 502, wantCode: "bad_gateway"},
		{name: "unavailable", fault: Fault{Status: 503}, wantStatus: 503, wantCode: "service_unavailable"},
		{name: "gateway timeout", fault: Fault{Status: 504}, wantStatus: 504, wantCode: "gateway_timeout"},
		{name: "overloaded", fault: Fault{Status: 529, RetryAfter: 1}, wantStatus: 529, wantCode: "service_overload", wantRetry: "1"},
		{name: "own code", fault: Fault{Status: 409, Code: "conflict_error", Message: "Conflict."}, wantStatus: 409, wantCode: "conflict_error"},
		{name: "slow", fault: Fault{DelayMS: 30}, wantStatus: 200, wantBlocks: 1, wantSlowerThan: 30 * time.Millisecond},
		{name: "reset before the write", fault: Fault{Reset: true}, wantNetErr: true},
		{name: "reset after the write", fault: Fault{Reset: true, AfterApply: true}, wantNetErr: true, wantBlocks: 1},
		{name: "applied, then a gateway timeout", fault: Fault{Status: 504, AfterApply: true}, wantStatus: 504, wantCode: "gateway_timeout", wantBlocks: 1},
		{name: "a bad gateway, applied a moment later", fault: Fault{Status: 502, AfterApply: true, ApplyAfterMS: 30}, wantStatus: 502, wantCode: "bad_gateway", wantLater: 1},
		{name: "other path", fault: Fault{PathPrefix: "/v1/pages", Status: 500}, wantStatus: 200, wantBlocks: 1},
		{name: "other method", fault: Fault{Method: "GET", Status: 500}, wantStatus: 200, wantBlocks: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(seed())
			s.Fail(tt.fault)
			if tt.wantLater != 0 {
				defer func() {
					assert.Eventually(t, func() bool { return len(s.Children(pageID)) == tt.wantLater }, time.Second, time.Millisecond)
				}()
			}
			req, err := http.NewRequest("PATCH", "https://api.notion.com/v1/blocks/"+pageID+"/children", strings.NewReader(para))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+secret)
			req.Header.Set("Notion-Version", "2022-06-28")
			start := time.Now()
			resp, err := testcert.Client(s.API()).Do(req)
			assert.GreaterOrEqual(t, time.Since(start), tt.wantSlowerThan)
			assert.Len(t, s.Children(pageID), tt.wantBlocks)
			if tt.wantNetErr {
				var netErr net.Error
				assert.ErrorAs(t, err, &netErr)
				return
			}
			require.NoError(t, err)
			defer resp.Body.Close()
			var body map[string]any
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantRetry, resp.Header.Get("Retry-After"))
			if tt.wantCode != "" {
				assert.Equal(t, tt.wantCode, body["code"])
				assert.EqualValues(t, tt.wantStatus, body["status"])
			}
		})
	}
}

func TestAddAndReset(t *testing.T) {
	s := New(seed())
	const extra = "6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0"
	s.Add(Seed{Pages: []Page{{ID: strings.ReplaceAll(extra, "-", ""), Title: "Extra", Parent: pageID}}})
	status, body := do(t, s.API(), "GET", "/v1/pages/"+extra, secret, "")
	require.Equal(t, 200, status, "a page under a shared page is shared too")
	assert.Equal(t, map[string]any{"type": "page_id", "page_id": pageID}, body["parent"])

	s.Reset(seed())
	status, _ = do(t, s.API(), "GET", "/v1/pages/"+extra, secret, "")
	assert.Equal(t, 404, status)
	assert.Len(t, s.Requests(), 1, "a reset forgets requests")
}

func TestWebPageTitles(t *testing.T) {
	bare := strings.ReplaceAll(pageID, "-", "")
	tests := []struct {
		name, url, wantTitle string
	}{
		{name: "slug", url: "https://www.notion.so/Plan-" + bare, wantTitle: "📈 Plan"},
		{name: "workspace slug", url: "https://www.notion.so/acme/Plan-" + bare, wantTitle: "📈 Plan"},
		{name: "bare id", url: "https://www.notion.so/" + bare, wantTitle: "📈 Plan"},
		{name: "dashed id", url: "https://www.notion.com/" + pageID, wantTitle: "📈 Plan"},
		{name: "peek", url: "https://www.notion.so/acme/" + strings.ReplaceAll(dbID, "-", "") + "?v=0123456789abcdef0123456789abcdef&p=" + bare, wantTitle: "📈 Plan"},
		{name: "database view", url: "https://www.notion.so/acme/" + strings.ReplaceAll(dbID, "-", "") + "?v=0123456789abcdef0123456789abcdef", wantTitle: "Calendar"},
		{name: "public site", url: "https://acme.notion.site/Plan-" + bare, wantTitle: "📈 Plan"},
		{name: "unknown page", url: "https://www.notion.so/Gone-0123456789abcdef0123456789abcdef", wantTitle: "Notion"},
		{name: "other path", url: "https://www.notion.so/login", wantTitle: "Notion"},
	}
	s := New(seed())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := getWeb(s, tt.url)
			assert.Equal(t, 200, status)
			assert.Contains(t, body, "<title>"+tt.wantTitle+"</title>")
		})
	}
}

func TestWebPageRendersBlocks(t *testing.T) {
	rt := func(text string) []any {
		return []any{map[string]any{"type": "text", "text": map[string]any{"content": text}}}
	}
	styled := func(text string, annotations map[string]any, link string) map[string]any {
		item := map[string]any{"type": "text", "text": map[string]any{"content": text}, "annotations": annotations}
		if link != "" {
			item["text"].(map[string]any)["link"] = map[string]any{"url": link}
		}
		return item
	}
	block := func(typ string, content map[string]any) map[string]any {
		return map[string]any{"object": "block", "type": typ, typ: content}
	}
	tests := []struct {
		name  string
		block map[string]any
		want  []string
	}{
		{"heading", block("heading_1", map[string]any{"rich_text": rt("Big")}), []string{`<h1 class="heading_1" data-block-id=`, `>Big</h1>`}},
		{"small heading", block("heading_4", map[string]any{"rich_text": rt("Small")}), []string{`>Small</h4>`}},
		{"escaped text", block("paragraph", map[string]any{"rich_text": rt("Some <text>")}), []string{`<p class="paragraph"`, "Some &lt;text&gt;</p>"}},
		{"annotations", block("paragraph", map[string]any{"rich_text": []any{
			styled("bold", map[string]any{"bold": true}, ""),
			styled("italic", map[string]any{"italic": true}, ""),
			styled("code", map[string]any{"code": true}, ""),
			styled("gone", map[string]any{"strikethrough": true}, ""),
			styled("under", map[string]any{"underline": true}, ""),
			styled("red", map[string]any{"color": "red"}, ""),
			styled("both", map[string]any{"bold": true, "italic": true}, ""),
			styled("a link", nil, "https://example.com/?a=1&b=2"),
			map[string]any{"type": "equation", "equation": map[string]any{"expression": "x^2"}},
		}}), []string{
			"<strong>bold</strong>", "<em>italic</em>", "<code>code</code>", "<s>gone</s>", "<u>under</u>",
			`<span style="color:#d44c47">red</span>`, "<em><strong>both</strong></em>",
			`<a href="https://example.com/?a=1&amp;b=2">a link</a>`, `<span class="inline-equation">x^2</span>`,
		}},
		{"bullet", block("bulleted_list_item", map[string]any{"rich_text": rt("dot")}), []string{`>•</span><div>dot</div>`}},
		{"checked to-do", block("to_do", map[string]any{"rich_text": rt("done"), "checked": true}), []string{`>☑</span><div><span class="checked">done</span>`}},
		{"open to-do", block("to_do", map[string]any{"rich_text": rt("later")}), []string{`>☐</span><div>later</div>`}},
		{"code", block("code", map[string]any{"rich_text": rt("go run ."), "language": "shell"}), []string{`<pre class="code"`, `data-language="shell"`, "<code>go run .</code></pre>"}},
		{"quote", block("quote", map[string]any{"rich_text": rt("said")}), []string{"said</blockquote>"}},
		{"callout", block("callout", map[string]any{"rich_text": rt("careful"), "color": "blue_background", "icon": map[string]any{"type": "emoji", "emoji": "⚠️"}}), []string{
			`<div class="callout"`, `style="background:#e7f3f8"`, `>⚠️</span><div>careful</div>`,
		}},
		{"toggle", block("toggle", map[string]any{"rich_text": rt("More"), "children": []any{block("paragraph", map[string]any{"rich_text": rt("inside")})}}), []string{
			`<details class="toggle"`, "<summary>More</summary>", `<div class="children"><p class="paragraph"`, "inside</p></div></details>",
		}},
		{"divider", block("divider", map[string]any{}), []string{`<hr class="divider"`}},
		{"equation", block("equation", map[string]any{"expression": "e^{i\\pi}"}), []string{`<code class="tex">e^{i\pi}</code>`}},
		{"image", block("image", map[string]any{"type": "external", "external": map[string]any{"url": "https://example.com/a.png"}}), []string{`src="https://example.com/a.png"`}},
		{"table", block("table", map[string]any{"table_width": 2, "has_column_header": true, "children": []any{
			map[string]any{"object": "block", "type": "table_row", "table_row": map[string]any{"cells": []any{rt("Task"), rt("Owner")}}},
			map[string]any{"object": "block", "type": "table_row", "table_row": map[string]any{"cells": []any{rt("a"), []any{styled("b", map[string]any{"bold": true}, "")}}}},
		}}), []string{"<th>Task</th><th>Owner</th>", "<td>a</td><td><strong>b</strong></td>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sd := seed()
			sd.Blocks = map[string][]map[string]any{pageID: {tt.block}}
			s := New(sd)
			status, body := getWeb(s, "https://www.notion.so/"+strings.ReplaceAll(pageID, "-", "")+"?format=json")
			require.Equal(t, 200, status)
			var page struct{ Title, HTML string }
			require.NoError(t, json.Unmarshal([]byte(body), &page))
			assert.Equal(t, "📈 Plan", page.Title)
			for _, want := range tt.want {
				assert.Contains(t, page.HTML, want)
			}
			var walk func([]map[string]any)
			walk = func(bs []map[string]any) {
				for _, b := range bs {
					assert.Contains(t, page.HTML, `data-block-id="`+b["id"].(string)+`"`, "every block can be found by its ID")
					kids, _ := b["children"].([]map[string]any)
					walk(kids)
				}
			}
			walk(s.Children(pageID))
		})
	}
}

func TestWebPageNumbersListsAsNotionDoes(t *testing.T) {
	sd := seed()
	sd.Blocks = map[string][]map[string]any{pageID: {
		Block("numbered_list_item", "one"), Block("numbered_list_item", "two"), Block("paragraph", "break"), Block("numbered_list_item", "again"),
	}}
	s := New(sd)
	_, body := getWeb(s, "https://www.notion.so/"+strings.ReplaceAll(pageID, "-", ""))
	for _, want := range []string{`>1.</span><div>one</div>`, `>2.</span><div>two</div>`, `>1.</span><div>again</div>`} {
		assert.Contains(t, body, want)
	}
}
