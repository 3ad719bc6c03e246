package notion_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/convert/notion2md"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

// asBlocks is Markdown as the blocks md2notion makes of it, as JSON: what
// a model's answer in that Markdown would become.
func asBlocks(t testing.TB, md string) string {
	t.Helper()
	return asJSON(t, md2notion.Convert([]byte(md)))
}

// seedOf is a document's blocks as a seed's children.
func seedOf(t testing.TB, src []byte) []map[string]any {
	t.Helper()
	var blocks []map[string]any
	require.NoError(t, json.Unmarshal([]byte(asJSON(t, md2notion.Convert(src))), &blocks))
	return blocks
}

// markdownReads lists the requests the fake received for the page's
// Markdown.
func markdownReads(fake *fakenotion.Server) []fakenotion.Request {
	var out []fakenotion.Request
	for _, r := range fake.Requests() {
		if strings.HasSuffix(r.Path, "/markdown") {
			out = append(out, r)
		}
	}
	return out
}

// splitText are the documents with a text longer than one block's rich
// text holds, which Visen writes as several blocks of one kind. Read block
// by block they are joined back, by their full rich text; Markdown does
// not show how full a block is, so whole they read as the blocks they are.
var splitText = map[string]bool{"17-long-unicode": true, "24-many-items": true}

// TestReadWholeSameAsBlocks reads every converter golden document as a
// page, whole and block by block: the model is given Markdown that makes
// the same blocks either way, so an answer that keeps the page's structure
// (a translation) writes the same structure back.
func TestReadWholeSameAsBlocks(t *testing.T) {
	docs := testworld.Documents(t)
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		if splitText[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			fake, c := readWorld(t, seedOf(t, []byte(docs[name])))
			byBlocks, err := c.ReadPage(context.Background(), readPage)
			require.NoError(t, err)
			whole, err := c.ReadWhole(context.Background(), readPage)
			require.NoError(t, err)
			assert.True(t, whole.Markdown, "read through the markdown endpoint")
			assert.Equal(t, 1, whole.Requests)
			assert.Len(t, markdownReads(fake), 1)
			want, got := notion2md.Markdown(byBlocks.Blocks), notion2md.Markdown(whole.Blocks)
			assert.Equal(t, asBlocks(t, want), asBlocks(t, got), "block by block:\n%s\n\nwhole:\n%s", want, got)
		})
	}
}

// TestReadWhole covers one request for a page, the subtrees a truncated
// answer leaves out, and falling back to blocks where the endpoint is
// refused, with the same Markdown for the model each time.
func TestReadWhole(t *testing.T) {
	page := nested(12, 4) // 12 + 48 + 192 = 252 blocks
	_, ref := readWorld(t, page)
	byBlocks, err := ref.ReadPage(context.Background(), readPage)
	require.NoError(t, err)
	want := notion2md.Markdown(byBlocks.Blocks)

	htmlNotFound := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/markdown") {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte("<html>Not Found</html>"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	tests := []struct {
		name string
		// setup changes the fake before the read; wrap wraps its handler.
		setup        func(*fakenotion.Server)
		wrap         func(http.Handler) http.Handler
		wantMarkdown bool
		wantRequests int
	}{
		{name: "whole in one request", wantMarkdown: true, wantRequests: 1},
		{
			name: "truncated: each left-out subtree once",
			// 100 blocks in, the rest of the page stands as unknown tags:
			// the eight top-level items not reached, and the last one's
			// children cut midway, with no block read twice.
			setup:        func(f *fakenotion.Server) { f.SetMarkdownLimit(100) },
			wantMarkdown: true,
		},
		{
			name: "an older API refuses the version",
			setup: func(f *fakenotion.Server) {
				f.Fail(fakenotion.Fault{PathPrefix: "/v1/pages/" + readPage + "/markdown", Status: 400, Code: "validation_error",
					Message: "Notion-Version header failed validation: Notion-Version header should be one of `2022-06-28`, instead was `\"2025-09-03\"`."})
			},
			wantRequests: 1 + byBlocks.Requests,
		},
		{
			name: "no such route",
			setup: func(f *fakenotion.Server) {
				f.Fail(fakenotion.Fault{PathPrefix: "/v1/pages/" + readPage + "/markdown", Status: 400, Code: "invalid_request_url", Message: "Invalid request URL."})
			},
			wantRequests: 1 + byBlocks.Requests,
		},
		{name: "a 404 for the endpoint, not the page", wrap: htmlNotFound, wantRequests: 1 + byBlocks.Requests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakenotion.New(fakenotion.Seed{
				Integrations: []fakenotion.Integration{{Secret: readSecret, Name: readBot, Workspace: "W"}},
				Pages:        []fakenotion.Page{{ID: readPage, Title: "Reading test", Connected: []string{readBot}}},
				Blocks:       map[string][]map[string]any{readPage: page},
			})
			if tt.setup != nil {
				tt.setup(fake)
			}
			var h http.Handler = fake.API()
			if tt.wrap != nil {
				h = tt.wrap(h)
			}
			read, err := notion.New(testworld.NotionHTTP(h, testworld.NoWait), readSecret).ReadWhole(context.Background(), readPage)
			require.NoError(t, err)
			assert.Equal(t, tt.wantMarkdown, read.Markdown)
			assert.Equal(t, asBlocks(t, want), asBlocks(t, notion2md.Markdown(read.Blocks)))
			reads := markdownReads(fake)
			if tt.wantRequests != 0 {
				assert.Equal(t, tt.wantRequests, read.Requests)
			}
			if tt.wantMarkdown {
				assert.Len(t, reads, read.Requests, "every request of the read is a markdown read")
				assert.Greater(t, 20, read.Requests, "the subtrees, not block by block")
				for _, r := range reads {
					assert.Equal(t, []string{notion.VersionDataSources}, r.Header["Notion-Version"])
				}
			}
		})
	}
}

// TestReadWholeRefusals keeps a page Notion will not give as the reader's
// usual errors, without falling back to blocks.
func TestReadWholeRefusals(t *testing.T) {
	tests := []struct {
		name     string
		page     string
		fault    *fakenotion.Fault
		wantKind notion.Kind
	}{
		{name: "a page not shared", page: "1e5f6a7b-8c9d-4e0f-9a1b-3c4d5e6f7a8b", wantKind: notion.KindNotConnected},
		{name: "no read capability", page: readPage, fault: &fakenotion.Fault{PathPrefix: "/v1/pages", Status: 403}, wantKind: notion.KindRestricted},
		{name: "rate limited past the wait", page: readPage, fault: &fakenotion.Fault{PathPrefix: "/v1/pages", Status: 429, RetryAfter: 600}, wantKind: notion.KindRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c := readWorld(t, flat(3))
			if tt.fault != nil {
				fake.Fail(*tt.fault)
			}
			_, err := c.ReadWhole(context.Background(), tt.page)
			var ne *notion.Error
			require.ErrorAs(t, err, &ne)
			assert.Equal(t, tt.wantKind, ne.Kind)
			for _, r := range fake.Requests() {
				assert.NotContains(t, r.Path, "/children", "no block reading after a refusal of the page")
			}
		})
	}
}

// TestReadWholeTooLarge refuses a page whose left-out parts are more than
// a read fetches, as block by block refuses a page past MaxPageBlocks,
// rather than give the model a page with parts missing.
func TestReadWholeTooLarge(t *testing.T) {
	fake, c := readWorld(t, flat(150))
	fake.SetMarkdownLimit(1)
	_, err := c.ReadWhole(context.Background(), readPage)
	var large *notion.TooLargeError
	require.ErrorAs(t, err, &large)
	assert.Len(t, markdownReads(fake), 1, "nothing fetched past the first answer")
}
