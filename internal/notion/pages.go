package notion

import (
	"context"
	"net/http"
	"net/url"
)

// RestoreBlock takes a block out of the trash, back to its place.
func (c *Client) RestoreBlock(ctx context.Context, id string) error {
	var out map[string]any
	if err := c.call(ctx, http.MethodPatch, "blocks/"+url.PathEscape(id), map[string]any{"archived": false}, &out); err != nil {
		return Classify("restore block", err)
	}
	return nil
}

// BlockParent is the block a block is nested in, or "" when it is one of
// its page's own blocks. A block in the trash is not on its page.
func (c *Client) BlockParent(ctx context.Context, id string) (string, error) {
	var b struct {
		Parent struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
		} `json:"parent"`
		Archived bool `json:"archived"`
		InTrash  bool `json:"in_trash"`
	}
	if err := c.call(ctx, http.MethodGet, "blocks/"+url.PathEscape(id), nil, &b); err != nil {
		return "", Classify("retrieve block", err)
	}
	if b.Archived || b.InTrash {
		return "", &BlockNotOnPageError{ID: id}
	}
	if b.Parent.Type == "block_id" {
		return b.Parent.BlockID, nil
	}
	return "", nil
}

// Subpage is a page made inside another.
type Subpage struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title"`
}

// CreateSubpage makes an empty page titled title inside a page.
func (c *Client) CreateSubpage(ctx context.Context, parentPageID, title string) (*Subpage, error) {
	body := map[string]any{
		"parent": map[string]any{"page_id": parentPageID},
		"properties": map[string]any{"title": map[string]any{"title": []any{
			map[string]any{"type": "text", "text": map[string]any{"content": title}},
		}}},
	}
	var p struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	}
	if err := c.call(ctx, http.MethodPost, "pages", body, &p); err != nil {
		return nil, withObject(Classify("create page", err), "page")
	}
	return &Subpage{ID: p.ID, URL: p.URL, Title: title}, nil
}
