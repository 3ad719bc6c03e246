//go:build !js

package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/convert/notion2md"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/testcert"
)

func startFakes(t *testing.T, seedName string) (*fakes, ports) {
	t.Helper()
	f, err := newFakes(seedName)
	require.NoError(t, err)
	p, shutdown, err := f.start()
	require.NoError(t, err)
	t.Cleanup(shutdown)
	return f, p
}

// mapped is a client that reaches every host at the TLS listener, as a
// browser with host-resolver rules does.
func mapped(f *fakes, p ports) *http.Client {
	return testcert.MappedClient(fmt.Sprintf("127.0.0.1:%d", p.TLS), f.cert)
}

// proxied is a client that goes through the proxy, as Firefox does.
func proxied(f *fakes, p ports) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(f.cert.Leaf)
	proxy, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", p.Proxy))
	return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func get(t *testing.T, c *http.Client, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] != "" {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestRunPrintsPortsAndStops(t *testing.T) {
	var out bytes.Buffer
	stop := make(chan os.Signal, 1)
	stop <- os.Interrupt
	require.NoError(t, run("test", &out, stop))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 1)
	var p map[string]int
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &p))
	assert.Len(t, p, 4)
	for _, name := range []string{"tls", "proxy", "ai_http", "control"} {
		assert.Positive(t, p[name], name)
	}

	assert.Error(t, run("nope", &out, stop))
}

func TestHostsRouteByName(t *testing.T) {
	f, p := startFakes(t, "test")
	bearer := "Bearer " + testKey
	tests := []struct {
		name, url, header, value, want string
	}{
		{name: "notion api", url: "https://api.notion.com/v1/users/me", header: "Notion-Version", value: "2022-06-28", want: `"code":"unauthorized"`},
		{name: "notion page", url: "https://www.notion.so/Quarterly-Plan-" + connectedID, want: "<title>📈 Quarterly Plan</title>"},
		{name: "notion bare host", url: "https://notion.so/" + calendarID, want: "<title>🗓️ Content Calendar</title>"},
		{name: "notion.com", url: "https://www.notion.com/acme/Quarterly-Plan-" + connectedID, want: "<title>📈 Quarterly Plan</title>"},
		{name: "notion.com bare host", url: "https://notion.com/", want: "<title>Notion</title>"},
		{name: "public site", url: "https://acme.notion.site/Quarterly-Plan-" + connectedID, want: "<title>📈 Quarterly Plan</title>"},
		{name: "openai", url: "https://api.openai.com/v1/models", header: "Authorization", value: bearer, want: `"id":"gpt-5-mini"`},
		{name: "gemini", url: "https://generativelanguage.googleapis.com/v1beta/openai/models", header: "Authorization", value: bearer, want: `"id":"gemini-2.5-flash"`},
		{name: "openrouter", url: "https://openrouter.ai/api/v1/models", header: "Authorization", value: bearer, want: `"id":"openai/gpt-5-mini"`},
		{name: "any other host", url: "https://localhost/v1/models", header: "Authorization", value: bearer, want: `"id":"llama3.2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for client, c := range map[string]*http.Client{"mapped": mapped(f, p), "proxied": proxied(f, p)} {
				_, body := get(t, c, tt.url, tt.header, tt.value)
				assert.Contains(t, body, tt.want, client)
			}
		})
	}
}

func TestProxyServesPlainRequests(t *testing.T) {
	f, p := startFakes(t, "test")
	status, body := get(t, proxied(f, p), "http://www.notion.so/Quarterly-Plan-"+connectedID)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, "<title>📈 Quarterly Plan</title>")
}

func TestTestSeedThroughTheRealClients(t *testing.T) {
	f, p := startFakes(t, "test")
	ctx := context.Background()
	c := notionapi.NewClient(testSecret, notionapi.WithHTTPClient(mapped(f, p)), notionapi.WithRetry(1))
	me, err := c.User.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Visen Test Integration", me.Name)
	assert.Equal(t, "Acme Test Workspace", me.Bot.WorkspaceName)

	page, err := c.Page.Get(ctx, connectedID)
	require.NoError(t, err)
	assert.Equal(t, notionapi.Emoji("📈"), *page.Icon.Emoji)
	old, err := c.Page.Get(ctx, archivedID)
	require.NoError(t, err)
	assert.True(t, old.Archived)
	db, err := c.Database.Get(ctx, calendarID)
	require.NoError(t, err)
	assert.Equal(t, "Content Calendar", db.Title[0].PlainText)
	_, err = c.Page.Get(ctx, unconnectedID)
	var apiErr *notionapi.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.Status)

	other := notionapi.NewClient(otherSecret, notionapi.WithHTTPClient(mapped(f, p)), notionapi.WithRetry(1))
	_, err = other.Page.Get(ctx, unconnectedID)
	assert.NoError(t, err)

	cfg := openai.DefaultConfig(testKey)
	cfg.BaseURL = fmt.Sprintf("http://127.0.0.1:%d/v1", p.AIHTTP)
	stream, err := openai.NewClientWithConfig(cfg).CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
		Model: "llama3.2", Stream: true, Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "plan"}},
	})
	require.NoError(t, err)
	defer stream.Close()
	var text strings.Builder
	for {
		chunk, err := stream.Recv()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		for _, ch := range chunk.Choices {
			text.WriteString(ch.Delta.Content)
		}
	}
	_, ac := testSeed()
	assert.Equal(t, ac.Answer, text.String())
}

func TestDemoSeed(t *testing.T) {
	f, p := startFakes(t, "demo")
	me, err := notionapi.NewClient(demoSecret, notionapi.WithHTTPClient(mapped(f, p)), notionapi.WithRetry(1)).User.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Visen Demo", me.Name)
	assert.True(t, strings.HasPrefix(demoSecret, "ntn_demo"))
	status, _ := get(t, http.DefaultClient, fmt.Sprintf("http://127.0.0.1:%d/v1/models", p.AIHTTP))
	assert.Equal(t, 200, status, "the demo's local model needs no key")
}

// TestSeedDatabases checks the rows GET /seed lists against what the API
// answers, for both seeds, through notionapi.
func TestSeedDatabases(t *testing.T) {
	tests := []struct {
		seed, secret, key, title string
		rows                     int
	}{
		{"test", testSecret, "calendar", "Content Calendar", 12},
		{"demo", demoSecret, "demo", "Demo Content Calendar", 5},
	}
	for _, tt := range tests {
		t.Run(tt.seed, func(t *testing.T) {
			f, p := startFakes(t, tt.seed)
			var seed struct {
				Notion struct {
					Databases map[string]struct {
						ID, Title, URL string
						Rows           []struct{ ID, Title, URL string }
					}
				}
			}
			require.Equal(t, 200, controlCall(t, p, "GET", "/seed", "", &seed))
			db := seed.Notion.Databases[tt.key]
			assert.Equal(t, tt.title, db.Title)
			require.Len(t, db.Rows, tt.rows)

			ctx := context.Background()
			c := notionapi.NewClient(notionapi.Token(tt.secret), notionapi.WithHTTPClient(mapped(f, p)), notionapi.WithRetry(1))
			schema, err := c.Database.Get(ctx, notionapi.DatabaseID(db.ID))
			require.NoError(t, err)
			assert.Equal(t, notionapi.PropertyConfigTypeTitle, schema.Properties["Name"].GetType())
			assert.Equal(t, notionapi.PropertyConfigTypeRichText, schema.Properties["Summary"].GetType())
			res, err := c.Database.Query(ctx, notionapi.DatabaseID(db.ID), &notionapi.DatabaseQueryRequest{})
			require.NoError(t, err)
			require.Len(t, res.Results, tt.rows)
			for i, r := range db.Rows {
				assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, r.ID)
				assert.Equal(t, r.ID, string(res.Results[i].ID), "rows are listed in seed order")
				assert.Equal(t, r.URL, res.Results[i].URL)
				assert.Equal(t, r.Title, res.Results[i].Properties["Name"].(*notionapi.TitleProperty).Title[0].PlainText)
			}

			// A row's address opens the row's page.
			_, body := get(t, mapped(f, p), db.Rows[0].URL)
			assert.Contains(t, body, "<title>"+db.Rows[0].Title+"</title>")
		})
	}

	// The test calendar has every common type, the rows the browser tests
	// name, and some empty values.
	f, p := startFakes(t, "test")
	c := notionapi.NewClient(testSecret, notionapi.WithHTTPClient(mapped(f, p)), notionapi.WithRetry(1))
	ctx := context.Background()
	schema, err := c.Database.Get(ctx, calendarID)
	require.NoError(t, err)
	types := map[string]string{}
	for name, prop := range schema.Properties {
		types[name] = string(prop.GetType())
	}
	assert.Equal(t, map[string]string{
		"Name": "title", "Topic": "rich_text", "Status": "status", "Channel": "select", "Tags": "multi_select",
		"Publish date": "date", "Ready": "checkbox", "Words": "number", "Link": "url", "Owner email": "email",
		"Phone": "phone_number", "Owner": "people", "Related": "relation", "Summary": "rich_text",
		"Score": "formula", "Total words": "rollup",
	}, types)
	status := schema.Properties["Status"].(*notionapi.StatusPropertyConfig).Status.Options
	require.Len(t, status, 3)
	assert.Equal(t, "In progress", status[1].Name)
	for _, filter := range []notionapi.Filter{
		notionapi.PropertyFilter{Property: "Name", RichText: &notionapi.TextFilterCondition{Equals: "Broken row"}},
		notionapi.PropertyFilter{Property: "Publish date", Date: &notionapi.DateFilterCondition{IsEmpty: true}},
		notionapi.PropertyFilter{Property: "Channel", Select: &notionapi.SelectFilterCondition{IsEmpty: true}},
		notionapi.PropertyFilter{Property: "Summary", RichText: &notionapi.TextFilterCondition{IsEmpty: true}},
	} {
		res, err := c.Database.Query(ctx, calendarID, &notionapi.DatabaseQueryRequest{Filter: filter})
		require.NoError(t, err)
		assert.NotEmpty(t, res.Results)
	}
}

// controlCall sends a control request and decodes its JSON answer.
func controlCall(t *testing.T, p ports, method, route, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, fmt.Sprintf("http://127.0.0.1:%d%s", p.Control, route), strings.NewReader(body))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

func TestControl(t *testing.T) {
	f, p := startFakes(t, "test")
	notionGet := func(path string) (int, string) {
		return get(t, mapped(f, p), "https://api.notion.com"+path, "Authorization", "Bearer "+testSecret, "Notion-Version", "2022-06-28")
	}
	aiGet := func(key string) (int, string) {
		return get(t, mapped(f, p), "https://api.openai.com/v1/models", "Authorization", "Bearer "+key)
	}
	const extra = "7a8b9c0d1e2f4a3b8c4d5e6f7a8b9c0d"

	t.Run("seed", func(t *testing.T) {
		var seed struct {
			Notion struct {
				Secret, BotName string
				Pages           map[string]struct{ ID, Title, URL string }
			}
			AI struct {
				Key    string
				Models []string
			}
		}
		require.Equal(t, 200, controlCall(t, p, "GET", "/seed", "", &seed))
		assert.Equal(t, testSecret, seed.Notion.Secret)
		assert.Equal(t, "Visen Test Integration", seed.Notion.BotName)
		assert.Equal(t, "1f0c8a2b-3d4e-4f5a-8b9c-0d1e2f3a4b5c", seed.Notion.Pages["connected"].ID)
		assert.Equal(t, "https://www.notion.so/Quarterly-Plan-"+connectedID, seed.Notion.Pages["connected"].URL)
		assert.Equal(t, "https://www.notion.so/Reading-test-"+readingID, seed.Notion.Pages["reading"].URL)
		assert.Equal(t, testKey, seed.AI.Key)
		assert.Contains(t, seed.AI.Models, "openai/gpt-5-mini")
	})
	t.Run("notion seed", func(t *testing.T) {
		require.Equal(t, 200, controlCall(t, p, "POST", "/notion/seed", `{"pages":[{"id":"`+extra+`","title":"Extra","connected":["Visen Test Integration"]}]}`, nil))
		status, body := notionGet("/v1/pages/" + extra)
		assert.Equal(t, 200, status)
		assert.Contains(t, body, `"plain_text":"Extra"`)
		assert.Equal(t, 400, controlCall(t, p, "POST", "/notion/seed", `{"pagez":[]}`, nil))
	})
	t.Run("notion fault", func(t *testing.T) {
		require.Equal(t, 200, controlCall(t, p, "POST", "/notion/fault", `{"pathPrefix":"/v1/users","status":429,"retryAfter":2}`, nil))
		status, body := notionGet("/v1/users/me")
		assert.Equal(t, 429, status)
		assert.Contains(t, body, `"code":"rate_limited"`)
		status, _ = notionGet("/v1/users/me")
		assert.Equal(t, 200, status)
	})
	t.Run("ai config", func(t *testing.T) {
		require.Equal(t, 200, controlCall(t, p, "POST", "/ai/config", `{"keys":["sk-other"]}`, nil))
		status, body := aiGet(testKey)
		assert.Equal(t, 401, status)
		assert.NotContains(t, body, testKey)
		status, body = aiGet("sk-other")
		assert.Equal(t, 200, status)
		assert.Contains(t, body, "gpt-4.1", "models are kept")
	})
	t.Run("ai fault", func(t *testing.T) {
		require.Equal(t, 200, controlCall(t, p, "POST", "/ai/fault", `{"kind":"insufficient_quota","path":"/models"}`, nil))
		status, body := aiGet("sk-other")
		assert.Equal(t, 429, status)
		assert.Contains(t, body, `"code":"insufficient_quota"`)
		assert.Equal(t, 400, controlCall(t, p, "POST", "/ai/fault", `{"kind":"explode"}`, nil))
	})
	t.Run("ai pace", func(t *testing.T) {
		require.Equal(t, 200, controlCall(t, p, "POST", "/ai/pace", `{"tokensPerSecond":25}`, nil))
		assert.Equal(t, 25, f.ai.Config().TokensPerSecond)
		require.Equal(t, 200, controlCall(t, p, "POST", "/ai/pace", `{"tokensPerSecond":0}`, nil))
	})
	t.Run("ai answer", func(t *testing.T) {
		require.Equal(t, 200, controlCall(t, p, "POST", "/ai/answer", `{"text":"queued"}`, nil))
		cfg := openai.DefaultConfig("sk-other")
		cfg.HTTPClient = mapped(f, p)
		resp, err := openai.NewClientWithConfig(cfg).CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
			Model: "gpt-5-mini", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
		})
		require.NoError(t, err)
		assert.Equal(t, "queued", resp.Choices[0].Message.Content)
	})
	t.Run("requests", func(t *testing.T) {
		var got struct {
			Notion, AI, Web []struct {
				Method, Host, Path string
				Header             map[string][]string
			}
		}
		require.Equal(t, 200, controlCall(t, p, "GET", "/requests", "", &got))
		require.NotEmpty(t, got.Notion)
		assert.Equal(t, "api.notion.com", got.Notion[0].Host)
		assert.Equal(t, []string{"Bearer " + testSecret}, got.Notion[0].Header["Authorization"])
		require.NotEmpty(t, got.AI)
		assert.Equal(t, "api.openai.com", got.AI[0].Host)
		assert.NotNil(t, got.Web)
	})
	t.Run("children", func(t *testing.T) {
		var kids []map[string]any
		require.Equal(t, 200, controlCall(t, p, "GET", "/notion/children?id="+connectedID, "", &kids))
		assert.Len(t, kids, 4)
	})
	t.Run("reset", func(t *testing.T) {
		require.Equal(t, 200, controlCall(t, p, "POST", "/reset", "", nil))
		status, _ := notionGet("/v1/pages/" + extra)
		assert.Equal(t, 404, status)
		status, _ = aiGet(testKey)
		assert.Equal(t, 200, status)
		var got map[string][]any
		require.Equal(t, 200, controlCall(t, p, "GET", "/requests", "", &got))
		assert.Len(t, got["notion"], 1, "only the request just made")
		assert.Len(t, got["ai"], 1)
		assert.Empty(t, got["web"])
	})
}

// TestDemoAnswers checks that the demo model answers each prompt about what
// it asks, with every kind of block Visen writes.
func TestDemoAnswers(t *testing.T) {
	_, ac := demoSeed()
	ai := fakeai.New(ac)
	answer := func(prompt string) string {
		cfg := openai.DefaultConfig(demoKey)
		cfg.HTTPClient = testcert.Client(ai)
		resp, err := openai.NewClientWithConfig(cfg).CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
			Model: models[0], Messages: []openai.ChatCompletionMessage{{Role: "user", Content: prompt}},
		})
		require.NoError(t, err)
		return resp.Choices[0].Message.Content
	}
	cats := answer("Write a haiku about cats.")
	assert.True(t, strings.HasPrefix(cats, "# Cats\n"), cats)
	assert.Contains(t, cats, "You asked: Write a haiku about cats.")
	assert.Equal(t, cats, answer("Write a haiku about cats."))
	assert.NotEqual(t, cats, answer("Write a haiku about dogs."))

	raw, err := json.Marshal(md2notion.Convert([]byte(cats)))
	require.NoError(t, err)
	var blocks []map[string]any
	require.NoError(t, json.Unmarshal(raw, &blocks))
	kinds := map[string]bool{}
	var walk func([]map[string]any)
	walk = func(bs []map[string]any) {
		for _, b := range bs {
			typ, _ := b["type"].(string)
			kinds[typ] = true
			content, _ := b[typ].(map[string]any)
			kids, _ := json.Marshal(content["children"])
			var children []map[string]any
			_ = json.Unmarshal(kids, &children)
			walk(children)
		}
	}
	walk(blocks)
	for _, k := range []string{"heading_1", "heading_2", "callout", "paragraph", "numbered_list_item", "to_do", "table", "equation", "code", "toggle"} {
		assert.True(t, kinds[k], "the demo answer has a %s", k)
	}
}

func TestStartPage(t *testing.T) {
	f, err := newFakes("demo")
	require.NoError(t, err)
	var events bytes.Buffer
	f.events = &events
	p, shutdown, err := f.start()
	require.NoError(t, err)
	t.Cleanup(shutdown)
	info := newDemoInfo()
	for range 2 {
		status, body := get(t, http.DefaultClient, fmt.Sprintf("http://127.0.0.1:%d/start", p.Control))
		require.Equal(t, 200, status)
		assert.Contains(t, body, `<code id="token">`+demoPAT+`</code>`)
		assert.Contains(t, body, `<code id="secret">`+demoSecret+`</code>`)
		assert.Contains(t, body, `<a id="notes-link" href="`+info.Notes+`">`)
		assert.Contains(t, body, `<code id="key">`+demoKey+`</code>`)
		assert.Contains(t, body, `<a id="page-link" href="`+info.Page+`">`)
		assert.Contains(t, body, `<a id="database-link" href="`+info.Database+`">`)
		assert.Contains(t, body, "{{Topic}}", "the sample template shows its placeholders")
	}
	assert.Equal(t, "{\"opened\":\"start\"}\n", events.String(), "said once")
	assert.True(t, strings.HasPrefix(info.Page, "https://www.notion.so/Demo-Page-"), info.Page)

	_, tp := startFakes(t, "test")
	status, _ := get(t, http.DefaultClient, fmt.Sprintf("http://127.0.0.1:%d/start", tp.Control))
	assert.Equal(t, 404, status, "the test seed has no demo")
}

func TestDescribe(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, describe(&out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 6)
	got := map[string]string{}
	for _, l := range lines {
		name, value, ok := strings.Cut(l, " ")
		require.True(t, ok, l)
		got[name] = value
	}
	assert.Equal(t, demoPAT, got["token"])
	assert.Equal(t, demoSecret, got["secret"])
	assert.Equal(t, demoKey, got["key"])
	assert.Contains(t, got["notes"], "1e5f6a7b")
	assert.Contains(t, got["page"], "5d4e3f2a")
	assert.Contains(t, got["database"], "6e5f4a3b")
}

// TestReadingPage reads the seeded "Reading test" page through the real
// reader: every kind of block is there, and the connected page is as it
// was.
func TestReadingPage(t *testing.T) {
	seed, _ := testSeed()
	c := testworld.New(t, testworld.WithNotion(seed)).NotionClient(testSecret)
	read, err := c.ReadPage(context.Background(), readingID)
	require.NoError(t, err)
	md := notion2md.Markdown(read.Blocks)
	for _, want := range []string{"# Reading test", "@Ada Lovelace", "[📄 Meeting notes]", "[🗃️ Tasks]", "[🔖 https", "📎 report.xlsx",
		"This text is synced across pages.", "Left column.", "Hidden until opened.", "[Table of contents]", "[Breadcrumb]", "[Unsupported block: form]"} {
		assert.Contains(t, md, want)
	}
	assert.Equal(t, read.LowerBound, read.Requests)

	read, err = c.ReadPage(context.Background(), connectedID)
	require.NoError(t, err)
	assert.Equal(t, "## Goals\n\nGrow weekly active teams by 20%.\n\n## Risks\n\nHiring may slip.", notion2md.Markdown(read.Blocks))
}
