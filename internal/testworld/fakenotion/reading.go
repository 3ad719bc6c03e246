package fakenotion

import "fmt"

// ReadingBlocks are a page's blocks with every kind a reader meets on a
// real page, stored as Notion holds them: headings, lists nested three
// deep, a to-do, a quote, a table, code, an equation, mentions of a person,
// a date and a page, a child page and database (childPage and childDB are
// their IDs), a bookmark, an embed, a file, a PDF and a video, a synced
// block, columns, a toggle, a table of contents, a breadcrumb and a block
// the API does not support.
func ReadingBlocks(childPage, childDB string) []map[string]any {
	return []map[string]any{
		block("heading_1", map[string]any{"rich_text": richTextOf("Reading test")}),
		block("paragraph", map[string]any{"rich_text": []any{
			item("Written by "),
			mention("user", "@Ada Lovelace", nil, map[string]any{"object": "user", "id": "9a0e1f2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"}),
			item(" on "),
			mention("date", "December 1, 2026", nil, map[string]any{"start": "2026-12-01", "end": nil}),
			item(", about "),
			mention("page", "Meeting notes", URL("Meeting notes", Dashed(childPage)), map[string]any{"id": Dashed(childPage)}),
			item(". Our goal is "),
			map[string]any{"type": "text", "text": map[string]any{"content": "steady growth"}, "annotations": map[string]any{"bold": true}},
			item("."),
		}}),
		block("heading_2", map[string]any{"rich_text": richTextOf("Plan")}),
		block("bulleted_list_item", map[string]any{"rich_text": richTextOf("Research"), "children": []any{
			block("bulleted_list_item", map[string]any{"rich_text": richTextOf("Interview ten teams"), "children": []any{
				block("paragraph", map[string]any{"rich_text": richTextOf("Start with the largest accounts.")}),
			}}),
		}}),
		block("numbered_list_item", map[string]any{"rich_text": richTextOf("Build the first version")}),
		block("to_do", map[string]any{"rich_text": richTextOf("Write the announcement"), "checked": false}),
		block("quote", map[string]any{"rich_text": richTextOf("Make it simple, then make it fast.")}),
		block("table", map[string]any{"table_width": 2, "has_column_header": true, "has_row_header": false, "children": []any{
			block("table_row", map[string]any{"cells": []any{richTextOf("Task"), richTextOf("Owner")}}),
			block("table_row", map[string]any{"cells": []any{richTextOf("Blog post"), richTextOf("Dana")}}),
		}}),
		block("code", map[string]any{"rich_text": richTextOf("make release"), "language": "shell"}),
		block("equation", map[string]any{"expression": "e^{i\\pi} + 1 = 0"}),
		block("child_page", map[string]any{"title": "Meeting notes"}, childPage),
		block("child_database", map[string]any{"title": "Tasks"}, childDB),
		block("bookmark", map[string]any{"caption": []any{}, "url": "https://example.com/article"}),
		block("embed", map[string]any{"caption": richTextOf("A map"), "url": "https://maps.example.com/x"}),
		block("file", map[string]any{"caption": []any{}, "type": "external", "external": map[string]any{"url": "https://files.example.com/report.xlsx"}, "name": "report.xlsx"}),
		block("pdf", map[string]any{"caption": richTextOf("The contract"), "type": "external", "external": map[string]any{"url": "https://example.com/contract.pdf"}}),
		block("video", map[string]any{"caption": []any{}, "type": "external", "external": map[string]any{"url": "https://video.example.com/v/42"}}),
		block("synced_block", map[string]any{"synced_from": nil, "children": []any{
			block("paragraph", map[string]any{"rich_text": richTextOf("This text is synced across pages.")}),
		}}),
		block("column_list", map[string]any{"children": []any{
			block("column", map[string]any{"children": []any{block("paragraph", map[string]any{"rich_text": richTextOf("Left column.")})}}),
			block("column", map[string]any{"children": []any{block("paragraph", map[string]any{"rich_text": richTextOf("Right column.")})}}),
		}}),
		block("toggle", map[string]any{"rich_text": richTextOf("Details"), "children": []any{
			block("paragraph", map[string]any{"rich_text": richTextOf("Hidden until opened.")}),
		}}),
		block("table_of_contents", map[string]any{"color": "default"}),
		block("breadcrumb", map[string]any{}),
		block("unsupported", map[string]any{"block_type": "form"}),
		block("paragraph", map[string]any{"rich_text": richTextOf("The last paragraph.")}),
	}
}

// block is a stored block of a type with its content; an id, when given,
// is the block's own (a child page's block has its page's ID).
func block(typ string, content map[string]any, id ...string) map[string]any {
	b := map[string]any{"object": "block", "type": typ, typ: content}
	if len(id) > 0 {
		b["id"] = Dashed(id[0])
	}
	return b
}

func item(s string) map[string]any {
	return map[string]any{"type": "text", "text": map[string]any{"content": s}}
}

func richTextOf(s string) []any {
	return []any{item(s)}
}

// mention is a mention as Notion answers it: the text a person sees is in
// plain_text, and only a page mention links somewhere.
func mention(kind, plain string, href any, value map[string]any) map[string]any {
	return map[string]any{"type": "mention", "mention": map[string]any{"type": kind, kind: value}, "plain_text": plain, "href": href}
}

// LongPage is a 1,000-block page three levels deep, shaped like a long
// document: 250 top-level blocks, 50 of them lists of 10 items, 25 of
// those items with 10 children of their own. Block by block it takes 78
// requests, one per 100 children of every parent.
func LongPage() []map[string]any {
	item := func(s string, kids ...map[string]any) map[string]any {
		c := map[string]any{"rich_text": richTextOf(s)}
		if len(kids) > 0 {
			list := make([]any, len(kids))
			for i, k := range kids {
				list[i] = k
			}
			c["children"] = list
		}
		return block("bulleted_list_item", c)
	}
	var top []map[string]any
	for i := range 250 {
		if i%5 != 0 {
			top = append(top, item(fmt.Sprintf("paragraph %d", i)))
			continue
		}
		var items []map[string]any
		for j := range 10 {
			if i%10 == 0 && j == 0 {
				var leaves []map[string]any
				for k := range 10 {
					leaves = append(leaves, item(fmt.Sprintf("line %d", k)))
				}
				items = append(items, item(fmt.Sprintf("item %d.%d", i, j), leaves...))
				continue
			}
			items = append(items, item(fmt.Sprintf("item %d.%d", i, j)))
		}
		top = append(top, item(fmt.Sprintf("list %d", i), items...))
	}
	return top
}
