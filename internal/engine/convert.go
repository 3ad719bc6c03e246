package engine

import (
	"context"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/convert/md2notion"
)

// convertRequest is Markdown the popup wants to show as Notion will.
type convertRequest struct {
	Markdown string `json:"markdown"`
}

// Converted is the block tree a Markdown text becomes, exactly as the
// writer would send it, so the popup's preview draws what lands in Notion.
type Converted struct {
	Blocks []notionapi.Block `json:"blocks"`
}

func (e *Engine) convert(_ context.Context, req convertRequest) (any, error) {
	blocks := md2notion.Convert([]byte(req.Markdown))
	if blocks == nil {
		blocks = []notionapi.Block{}
	}
	return Converted{Blocks: blocks}, nil
}
