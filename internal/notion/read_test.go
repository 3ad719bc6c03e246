package notion_test

import (
	"context"
	"fmt"
	"net/http"
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

const (
	readSecret = "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"
	readBot    = "Read Bot"
	readPage   = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	childPage  = "8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e"
	childDB    = "9c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f"
	otherPage  = "0d4e5f6a-7b8c-4d9e-8f0a-2b3c4d5e6f7a"
)

// readWorld is a fake Notion holding one page with blocks, and a client on
// it that never waits.
func readWorld(t testing.TB, blocks []map[string]any, opts ...testworld.Option) (*fakenotion.Server, *notion.Client) {
	t.Helper()
	w := testworld.New(t, append([]testworld.Option{testworld.WithNotion(fakenotion.Seed{
		Integrations: []fakenotion.Integration{{Secret: readSecret, Name: readBot, Workspace: "W"}},
		Pages: []fakenotion.Page{
			{ID: readPage, Title: "Reading test", Connected: []string{readBot}},
			{ID: childPage, Title: "Meeting notes", Parent: readPage},
			{ID: otherPage, Title: "Other", Connected: []string{readBot}},
		},
		Blocks: map[string][]map[string]any{readPage: blocks},
	})}, opts...)...)
	return w.Notion, w.NotionClient(readSecret)
}

func para(s string, kids ...map[string]any) map[string]any {
	c := map[string]any{"rich_text": []any{map[string]any{"type": "text", "text": map[string]any{"content": s}}}}
	if len(kids) > 0 {
		list := make([]any, len(kids))
		for i, k := range kids {
			list[i] = k
		}
		c["children"] = list
	}
	return map[string]any{"object": "block", "type": "bulleted_list_item", "bulleted_list_item": c}
}

// nested is n top-level items, each holding width items, each of those
// holding width more: three levels.
func nested(n, width int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		var mid []map[string]any
		for j := range width {
			var leaves []map[string]any
			for k := range width {
				leaves = append(leaves, para(fmt.Sprintf("leaf %d.%d.%d", i, j, k)))
			}
			mid = append(mid, para(fmt.Sprintf("item %d.%d", i, j), leaves...))
		}
		out[i] = para(fmt.Sprintf("top %d", i), mid...)
	}
	return out
}

func flat(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = para(fmt.Sprintf("line %d", i))
	}
	return out
}

func listRequests(fake *fakenotion.Server) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/children") {
			n++
		}
	}
	return n
}

func TestReadPageRequests(t *testing.T) {
	tests := []struct {
		name                        string
		blocks                      []map[string]any
		wantCount, wantReq, wantLow int
	}{
		{name: "empty page", blocks: nil, wantCount: 0, wantReq: 1, wantLow: 1},
		{name: "one page of children", blocks: flat(100), wantCount: 100, wantReq: 1, wantLow: 1},
		{name: "past a hundred children", blocks: flat(250), wantCount: 250, wantReq: 3, wantLow: 3},
		// 4 top items of 3 items of 3 leaves: the page, 4 top parents
		// and 12 middle parents each take one request.
		{name: "three levels", blocks: nested(4, 3), wantCount: 4 + 12 + 36, wantReq: 17, wantLow: 17},
		// 120 children under one item: two requests for it.
		{name: "a parent with 120 children", blocks: []map[string]any{para("big", flat(120)...)}, wantCount: 121, wantReq: 3, wantLow: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c := readWorld(t, tt.blocks)
			got, err := c.ReadPage(context.Background(), readPage)
			require.NoError(t, err)
			assert.Equal(t, tt.wantCount, got.Count)
			assert.Equal(t, tt.wantReq, got.Requests)
			assert.Equal(t, tt.wantLow, got.LowerBound)
			assert.Equal(t, tt.wantReq, listRequests(fake), "the requests the fake saw")
		})
	}
}

// TestReadPageRoundTrip writes every converter golden document into the
// fake as the writer would, reads the page back and checks that its
// Markdown converts to the same blocks.
func TestReadPageRoundTrip(t *testing.T) {
	src := "# Title\n\nSome **bold** and *italic* text with `code`, a [link](https://example.com) and $x^2$.\n\n- one\n  - two\n    - three\n\n1. first\n\n- [x] done\n\n> [!TIP]\n> A tip.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```go\nfmt.Println(1)\n```\n\n$$\nE = mc^2\n$$\n\n---\n\n![alt](https://example.com/a.png)\n\n<details>\n<summary>More</summary>\n\nInside.\n\n</details>\n"
	blocks := md2notion.Convert([]byte(src))
	var seed []map[string]any
	for _, b := range blocks {
		seed = append(seed, toMap(t, b))
	}
	_, c := readWorld(t, seed)
	got, err := c.ReadPage(context.Background(), readPage)
	require.NoError(t, err)
	md := notion2md.Markdown(got.Blocks)
	assert.Equal(t, asJSON(t, blocks), asJSON(t, md2notion.Convert([]byte(md))), "read back as:\n%s", md)
}

func TestReadPageEveryBlock(t *testing.T) {
	_, c := readWorld(t, fakenotion.ReadingBlocks(childPage, childDB))
	got, err := c.ReadPage(context.Background(), readPage)
	require.NoError(t, err)
	md := notion2md.Markdown(got.Blocks)
	for _, want := range []string{
		"# Reading test", "@Ada Lovelace", "December 1, 2026", "](" + fakenotion.URL("Meeting notes", childPage) + ")",
		"- Research", "  - Interview ten teams", "    Start with the largest accounts.",
		"[📄 Meeting notes](https://www.notion.so/" + strings.ReplaceAll(childPage, "-", "") + ")",
		"[🗃️ Tasks]", "https://example.com/article", "A map", "report.xlsx", "The contract", "https://video.example.com/v/42",
		"This text is synced across pages.", "Left column.", "Right column.", "<summary>Details</summary>", "Hidden until opened.",
		"[Table of contents]", "[Breadcrumb]", "[Unsupported block: form]", "| Task | Owner |", "```shell\nmake release\n```",
		"$$e^{i\\pi} + 1 = 0$$", "**steady growth**",
	} {
		assert.Contains(t, md, want)
	}
}

func TestReadPageUpTo(t *testing.T) {
	blocks := nested(3, 2)
	fake, c := readWorld(t, append(blocks, flat(150)...))
	top := fake.Children(readPage)
	second := top[1]["id"].(string)
	nestedID := fake.Children(second)[1]["id"].(string)

	got, err := c.ReadPage(context.Background(), readPage, notion.UpTo(second))
	require.NoError(t, err)
	require.Len(t, got.Blocks, 2, "stops after the cursor's block")
	assert.Equal(t, 2+4+8, got.Count)
	assert.Equal(t, 1+2+4, got.Requests, "the rest of the page is not read")

	got, err = c.ReadPage(context.Background(), readPage, notion.UpTo(strings.ReplaceAll(nestedID, "-", "")))
	require.NoError(t, err)
	require.Len(t, got.Blocks, 2, "a nested cursor stops after the top-level block holding it")

	_, err = c.ReadPage(context.Background(), readPage, notion.UpTo(otherPage))
	var gone *notion.BlockNotOnPageError
	require.ErrorAs(t, err, &gone)
	assert.Contains(t, gone.Message(), "no longer on this page")
}

func TestReadPageErrors(t *testing.T) {
	fake, c := readWorld(t, flat(5))
	_, err := c.ReadPage(context.Background(), "1234567890abcdef1234567890abcdef")
	var nerr *notion.Error
	require.ErrorAs(t, err, &nerr)
	assert.Equal(t, notion.KindNotConnected, nerr.Kind)

	fake.Fail(fakenotion.Fault{Method: http.MethodGet, PathPrefix: "/v1/blocks", Status: 429, RetryAfter: 0})
	got, err := c.ReadPage(context.Background(), readPage)
	require.NoError(t, err, "a 429 is waited out")
	assert.Equal(t, 5, got.Count)

	_, c = readWorld(t, flat(notion.MaxPageBlocks+1))
	_, err = c.ReadPage(context.Background(), readPage)
	var tooLarge *notion.TooLargeError
	require.ErrorAs(t, err, &tooLarge)
	assert.Contains(t, tooLarge.Message(), "more than 5000 blocks")
}
