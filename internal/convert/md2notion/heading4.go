package md2notion

import "github.com/jomei/notionapi"

// BlockTypeHeading4 is Notion's fourth heading level.
const BlockTypeHeading4 notionapi.BlockType = "heading_4"

// Heading4Block is a heading_4 block, which notionapi v1.13.3 does not
// know; it marshals to Notion's request shape like the other headings.
type Heading4Block struct {
	notionapi.BasicBlock
	Heading4 notionapi.Heading `json:"heading_4"`
}

// GetRichTextString is the heading's plain text.
func (b *Heading4Block) GetRichTextString() string {
	var s string
	for _, rt := range b.Heading4.RichText {
		s += rt.PlainText
		if rt.Text != nil && rt.PlainText == "" {
			s += rt.Text.Content
		}
	}
	return s
}
