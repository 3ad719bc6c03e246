package writer

import (
	"context"
	"slices"
	"strings"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notionurl"
)

// readBack looks at what the parent really holds, after an ambiguous
// failure or before resending on resume. Notion applies an append whole or
// not at all, so the request landed if its blocks stand right where it put
// them: after at.after (or after the parent's first at.skip children), and
// before at.until, the block that followed there before anything was sent.
// Only blocks in that window count, so a block that was in the page before
// is never taken for one this request wrote. A block counts in the form
// it was planned or in a form it may have been sent in instead, which a
// state saved before Notion's answer does not know of: heading_3 for a
// refused heading_4, or the plain text a refused block is healed into.
// It returns their IDs when they landed.
func (w *Session) readBack(ctx context.Context, at spot, children []map[string]any, state *State) ([]string, bool, error) {
	have, err := w.children(ctx, at.parent, at.after, at.until, state)
	if err != nil {
		return nil, false, err
	}
	start := at.skip
	if at.after != "" {
		if len(have) == 0 || notionurl.PlainID(blockID(have[0])) != notionurl.PlainID(at.after) {
			return nil, false, nil
		}
		start = 1
	}
	window := have[min(start, len(have)):]
	if at.until != "" {
		if end := slices.IndexFunc(window, func(b map[string]any) bool { return notionurl.PlainID(blockID(b)) == notionurl.PlainID(at.until) }); end >= 0 {
			window = window[:end]
		}
	}
	if len(window) < len(children) {
		return nil, false, nil
	}
	got := window[:len(children)]
	noHeading4 := false
	for i, b := range got {
		switch signature(b) {
		case signature(children[i]), signature(safe(children[i])):
		case signature(asHeading3(children[i])):
			noHeading4 = true
		default:
			return nil, false, nil
		}
	}
	// Found as heading_3, a heading_4 tells that the workspace refused
	// the level: the rest of the job need not be refused again.
	state.NoHeading4 = state.NoHeading4 || noHeading4
	return idsOf(got), true, nil
}

// children lists a parent's children from the block `from` on (from the
// first when from is ""), counting each request: every page of them, or
// up to the page holding the block `until` when that is not "", since
// nothing past it is looked at. A job at the top of a long page reads
// back only its own blocks.
func (w *Writer) children(ctx context.Context, parent, from, until string, state *State) (notion.Blocks, error) {
	var have notion.Blocks
	cursor := from
	for {
		state.Sent++
		page, next, err := w.notion.ChildrenPage(ctx, parent, cursor)
		if err != nil {
			return nil, err
		}
		have = append(have, page...)
		if next == "" || until != "" && slices.ContainsFunc(page, func(b map[string]any) bool { return notionurl.PlainID(blockID(b)) == notionurl.PlainID(until) }) {
			return have, nil
		}
		cursor = next
	}
}

// blockID is the id Notion gave a block.
func blockID(b map[string]any) string {
	id, _ := b["id"].(string)
	return id
}

// signature is what a block shows: its type and text, comparable between
// what was sent and what Notion returns.
func signature(b map[string]any) string {
	typ, _ := b["type"].(string)
	return typ + "\x00" + text(b)
}

// text joins the visible text of a block's own rich text, or its
// expression or address.
func text(b map[string]any) string {
	typ, _ := b["type"].(string)
	body, _ := b[typ].(map[string]any)
	var s strings.Builder
	if rt, ok := body["rich_text"].([]any); ok {
		for _, item := range rt {
			it, _ := item.(map[string]any)
			if p, ok := it["plain_text"].(string); ok && p != "" {
				s.WriteString(p)
				continue
			}
			if t, ok := it["text"].(map[string]any); ok {
				c, _ := t["content"].(string)
				s.WriteString(c)
			}
			if e, ok := it["equation"].(map[string]any); ok {
				c, _ := e["expression"].(string)
				s.WriteString(c)
			}
		}
	}
	if e, ok := body["expression"].(string); ok {
		s.WriteString(e)
	}
	if ext, ok := body["external"].(map[string]any); ok {
		u, _ := ext["url"].(string)
		s.WriteString(u)
	}
	if cells, ok := body["cells"].([]any); ok {
		for _, c := range cells {
			s.WriteString(text(map[string]any{"type": "x", "x": map[string]any{"rich_text": c}}))
			s.WriteString("|")
		}
	}
	return s.String()
}
