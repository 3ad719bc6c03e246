package fakenotion

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// markdownOf asks the fake for an ID's Markdown on a version.
func markdownOf(t *testing.T, s *Server, id, version string) (int, map[string]any) {
	t.Helper()
	return doVersion(t, s, version, "GET", "/v1/pages/"+id+"/markdown", "")
}

func styled(s string, annotations map[string]any) map[string]any {
	return map[string]any{"type": "text", "text": map[string]any{"content": s}, "annotations": annotations}
}

// TestMarkdownEndpoint checks the page as Notion's enhanced Markdown: its
// answer's shape, the format of each kind of block, refusals on an older
// version and for a page not shared.
func TestMarkdownEndpoint(t *testing.T) {
	seeded := seed()
	seeded.Blocks = map[string][]map[string]any{pageID: {
		block("heading_2", map[string]any{"rich_text": richTextOf("Plan")}),
		block("paragraph", map[string]any{"rich_text": []any{
			item("Keep "), styled("it ", map[string]any{"bold": true}), styled("simple", map[string]any{"bold": true, "italic": true}),
			item(": 2 * 3 <= 7\nnext line"),
		}}),
		block("bulleted_list_item", map[string]any{"rich_text": richTextOf("Research"), "children": []any{
			block("to_do", map[string]any{"rich_text": richTextOf("Call"), "checked": true}),
		}}),
		block("callout", map[string]any{"rich_text": richTextOf("Mind the gap"), "icon": map[string]any{"type": "emoji", "emoji": "💡"}, "color": "green_background"}),
		block("code", map[string]any{"rich_text": richTextOf("a * b\n\tc"), "language": "go"}),
		block("table", map[string]any{"table_width": 2, "has_column_header": true, "children": []any{
			block("table_row", map[string]any{"cells": []any{richTextOf("Task"), richTextOf("Owner")}}),
		}}),
		block("child_page", map[string]any{"title": "Notes"}, otherID),
		block("bookmark", map[string]any{"url": "https://example.com"}),
		block("paragraph", map[string]any{"rich_text": []any{}}),
	}}
	s := New(seeded)

	status, got := markdownOf(t, s, pageID, Version20250903)
	require.Equal(t, 200, status)
	assert.Equal(t, "page_markdown", got["object"])
	assert.Equal(t, pageID, got["id"])
	assert.Equal(t, false, got["truncated"], "a bookmark is unknown without truncating")
	require.Len(t, got["unknown_block_ids"], 1)
	bookmark := got["unknown_block_ids"].([]any)[0].(string)
	assert.Equal(t, strings.Join([]string{
		"## Plan",
		`Keep **it *simple***: 2 \* 3 \<= 7<br>next line`,
		"- Research",
		"\t- [x] Call",
		`<callout icon="💡" color="green_bg">`,
		"\tMind the gap",
		"</callout>",
		"```go",
		"a * b",
		"\tc",
		"```",
		`<table header-row="true">`,
		"\t<tr>",
		"\t\t<td>Task</td>",
		"\t\t<td>Owner</td>",
		"\t</tr>",
		"</table>",
		`<page url="https://www.notion.so/` + strings.ReplaceAll(otherID, "-", "") + `">Notes</page>`,
		`<unknown url="https://www.notion.so/` + strings.ReplaceAll(pageID, "-", "") + "#" + strings.ReplaceAll(bookmark, "-", "") + `" alt="bookmark"/>`,
		"<empty-block/>",
	}, "\n"), got["markdown"])

	tests := []struct {
		name, id, version string
		wantStatus        int
		wantCode          string
	}{
		{name: "2026-03-11 reads it too", id: pageID, version: Version20260311, wantStatus: 200},
		{name: "before 2025-09-03 the endpoint is refused", id: pageID, version: Version20220628, wantStatus: 400, wantCode: "validation_error"},
		{name: "a page not shared", id: otherID, version: Version20250903, wantStatus: 404, wantCode: "object_not_found"},
		{name: "no such page", id: NewID(), version: Version20250903, wantStatus: 404, wantCode: "object_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := markdownOf(t, s, tt.id, tt.version)
			assert.Equal(t, tt.wantStatus, status)
			if tt.wantCode != "" {
				assert.Equal(t, tt.wantCode, got["code"])
			}
		})
	}
}

// TestMarkdownTruncated checks that a page past the limit leaves the rest
// out as unknown tags, each of which reads as its own subtree.
func TestMarkdownTruncated(t *testing.T) {
	seeded := seed()
	var top []map[string]any
	for range 4 {
		top = append(top, block("bulleted_list_item", map[string]any{"rich_text": richTextOf("item"), "children": []any{
			block("paragraph", map[string]any{"rich_text": richTextOf("child")}),
		}}))
	}
	seeded.Blocks = map[string][]map[string]any{pageID: top}
	s := New(seeded)
	s.SetMarkdownLimit(3)

	_, got := markdownOf(t, s, pageID, Version20250903)
	assert.Equal(t, true, got["truncated"])
	ids := got["unknown_block_ids"].([]any)
	require.Len(t, ids, 3, "the second item's child and the last two items")
	lines := strings.Split(got["markdown"].(string), "\n")
	assert.Equal(t, []string{"- item", "\tchild", "- item"}, lines[:3])
	assert.Contains(t, lines[3], `<unknown url="`)
	assert.True(t, strings.HasPrefix(lines[3], "\t"), "a left-out child keeps its depth")

	_, sub := markdownOf(t, s, ids[2].(string), Version20250903)
	assert.Equal(t, "- item\n\tchild", sub["markdown"], "a left-out block reads with its children")
	assert.Equal(t, false, sub["truncated"])

	s.SetMarkdownLimit(0)
	_, whole := markdownOf(t, s, pageID, Version20250903)
	assert.Equal(t, false, whole["truncated"])
	assert.Empty(t, whole["unknown_block_ids"])
}
