package writer

import (
	"context"
	"strings"
)

// readBack looks at what the parent really holds after an ambiguous
// failure. Notion applies an append whole or not at all, so the request
// landed if its blocks stand right after `after` (or, with no `after`, at
// the end of the parent). It returns their IDs when they do.
func (w *Writer) readBack(ctx context.Context, parent, after string, children []map[string]any, state *State) ([]string, bool, error) {
	state.Sent++
	have, err := w.notion.Children(ctx, parent)
	if err != nil {
		return nil, false, err
	}
	start := len(have) - len(children)
	if after != "" {
		start = -1
		for i, b := range have {
			if id, _ := b["id"].(string); sameID(id, after) {
				start = i + 1
			}
		}
	}
	if start < 0 || start+len(children) > len(have) {
		return nil, false, nil
	}
	got := have[start : start+len(children)]
	for i, b := range got {
		if signature(b) != signature(children[i]) {
			return nil, false, nil
		}
	}
	return idsOf(got), true, nil
}

func sameID(a, b string) bool {
	return strings.ReplaceAll(a, "-", "") == strings.ReplaceAll(b, "-", "")
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
