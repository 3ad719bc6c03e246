package notion

import (
	"context"
	"net/http"
	"net/url"
)

// Blocks are blocks as Notion's JSON has them. Visen appends and reads
// blocks in this form, around notionapi, which cannot send or read the
// block types it does not know (heading_4 among them).
type Blocks = []map[string]any

// AppendChildren appends children to a page or block, after the child
// after, or at the end when after is "", and returns the blocks Notion
// made.
func (c *Client) AppendChildren(ctx context.Context, parent, after string, children Blocks) (Blocks, error) {
	var res struct {
		Results Blocks `json:"results"`
	}
	path := "blocks/" + url.PathEscape(parent) + "/children"
	if err := c.call(ctx, http.MethodPatch, path, appendBody(VersionDataSources, after, children), &res); err != nil {
		return nil, Classify(opAppend, err)
	}
	return res.Results, nil
}

// AppendAtStart appends children before the first child of a page or
// block and returns the blocks Notion made. Only Notion-Version 2026-03-11
// can place blocks there, so this append alone is sent on it.
func (c *Client) AppendAtStart(ctx context.Context, parent string, children Blocks) (Blocks, error) {
	var res struct {
		Results Blocks `json:"results"`
	}
	path := "blocks/" + url.PathEscape(parent) + "/children"
	if err := c.callOn(ctx, VersionPosition, http.MethodPatch, path, startBody(children), &res); err != nil {
		return nil, Classify(opAppend, err)
	}
	return res.Results, nil
}

// Children lists every child of a page or block, in order.
func (c *Client) Children(ctx context.Context, parent string) (Blocks, error) {
	var all Blocks
	cursor := ""
	for {
		page, next, err := c.ChildrenPage(ctx, parent, cursor)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		cursor = next
	}
}

// ChildrenPage lists up to 100 children of a page or block, from the child
// cursor on (the first when cursor is ""), and the cursor of the next ones,
// "" when there are no more.
func (c *Client) ChildrenPage(ctx context.Context, parent, cursor string) (Blocks, string, error) {
	q := url.Values{"page_size": {"100"}}
	if cursor != "" {
		q.Set("start_cursor", cursor)
	}
	var res struct {
		Results    Blocks  `json:"results"`
		HasMore    bool    `json:"has_more"`
		NextCursor *string `json:"next_cursor"`
	}
	if err := c.call(ctx, http.MethodGet, "blocks/"+url.PathEscape(parent)+"/children?"+q.Encode(), nil, &res); err != nil {
		return nil, "", Classify("list blocks", err)
	}
	if !res.HasMore || res.NextCursor == nil {
		return res.Results, "", nil
	}
	return res.Results, *res.NextCursor, nil
}
