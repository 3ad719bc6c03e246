// Package notion2md converts Notion blocks back into Markdown. Blocks that
// Visen writes come back as Markdown that md2notion turns into exactly the
// same blocks; blocks it does not write (child pages, bookmarks, files,
// synced blocks, columns and the like) read as links, their content or a
// short marker, so nothing on a page is silently dropped.
//
// It reads both shapes a block comes in: Notion's answers (ids,
// has_children, plain_text, annotations, mentions; children fetched
// separately and set on Block.Children) and the requests md2notion makes
// (children inline). Blocks are decoded from raw JSON, so block types that
// no Go library knows still keep their type and content.
package notion2md

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Block is one Notion block with its children.
type Block struct {
	ID          string
	Type        string
	HasChildren bool
	// Children are the block's children: the inline ones of a request, or
	// those a reader fetched and set.
	Children []Block
	body     body
}

// Title is the title of a child page or database block, "" for others.
func (b Block) Title() string {
	return b.body.Title
}

// DecodeError is a block list or block that is not the JSON Notion uses.
type DecodeError struct {
	Err error
}

func (e *DecodeError) Error() string {
	return "the blocks are not a JSON array of Notion blocks: " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Decode reads a JSON array of blocks, in either shape.
func Decode(data []byte) ([]Block, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, &DecodeError{Err: err}
	}
	return DecodeList(raws)
}

// DecodeList reads blocks that are each still raw JSON, such as the
// results of a list-children answer.
func DecodeList(raws []json.RawMessage) ([]Block, error) {
	out := make([]Block, 0, len(raws))
	for i, raw := range raws {
		b, err := DecodeBlock(raw)
		var de *DecodeError
		if errors.As(err, &de) {
			return nil, &DecodeError{Err: fmt.Errorf("block %d: %w", i+1, de.Err)}
		}
		out = append(out, b)
	}
	return out, nil
}

// DecodeBlock reads one block and the children it carries inline.
func DecodeBlock(raw json.RawMessage) (Block, error) {
	var head struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		HasChildren bool   `json:"has_children"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return Block{}, &DecodeError{Err: err}
	}
	if head.Type == "" {
		return Block{}, &DecodeError{Err: fmt.Errorf("a block has no type")}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Block{}, &DecodeError{Err: err}
	}
	b := Block{ID: head.ID, Type: head.Type, HasChildren: head.HasChildren}
	if content, ok := fields[head.Type]; ok && string(content) != "null" {
		if err := json.Unmarshal(content, &b.body); err != nil {
			return Block{}, &DecodeError{Err: fmt.Errorf("%s block: %w", head.Type, err)}
		}
	}
	if len(b.body.Children) > 0 {
		kids, err := DecodeList(b.body.Children)
		if err != nil {
			return Block{}, fmt.Errorf("%s block's children: %w", head.Type, err)
		}
		b.Children, b.HasChildren = kids, true
	}
	b.body.Children = nil
	return b, nil
}

// body is the content under a block's type key, for every type it reads.
type body struct {
	RichText        []richText        `json:"rich_text"`
	Caption         []richText        `json:"caption"`
	Children        []json.RawMessage `json:"children"`
	Checked         bool              `json:"checked"`
	Language        string            `json:"language"`
	Color           string            `json:"color"`
	Icon            *icon             `json:"icon"`
	Expression      string            `json:"expression"`
	Title           string            `json:"title"`
	Name            string            `json:"name"`
	URL             string            `json:"url"`
	External        *fileURL          `json:"external"`
	File            *fileURL          `json:"file"`
	HasColumnHeader bool              `json:"has_column_header"`
	HasRowHeader    bool              `json:"has_row_header"`
	Cells           [][]richText      `json:"cells"`
	PageID          string            `json:"page_id"`
	DatabaseID      string            `json:"database_id"`
	BlockType       string            `json:"block_type"`
}

type icon struct {
	Type  string `json:"type"`
	Emoji string `json:"emoji"`
}

type fileURL struct {
	URL string `json:"url"`
}

// richText is one rich-text item in either shape: a request's text.content
// or an answer's plain_text and href, which mentions only have.
type richText struct {
	Type      string `json:"type"`
	PlainText string `json:"plain_text"`
	Href      string `json:"href"`
	Text      *struct {
		Content string `json:"content"`
		Link    *struct {
			URL string `json:"url"`
		} `json:"link"`
	} `json:"text"`
	Equation *struct {
		Expression string `json:"expression"`
	} `json:"equation"`
	Mention     json.RawMessage `json:"mention"`
	Annotations annotations     `json:"annotations"`
}

type annotations struct {
	Bold          bool `json:"bold"`
	Italic        bool `json:"italic"`
	Strikethrough bool `json:"strikethrough"`
	Code          bool `json:"code"`
}

// content is the item's text.
func (r richText) content() string {
	switch {
	case r.Text != nil && r.Type != "mention":
		return r.Text.Content
	case r.Equation != nil:
		return r.Equation.Expression
	}
	return r.PlainText
}

// link is where the item points, or "".
func (r richText) link() string {
	if r.Text != nil && r.Text.Link != nil {
		return r.Text.Link.URL
	}
	return r.Href
}
