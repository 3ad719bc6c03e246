package writer

import (
	"errors"
	"strings"

	"github.com/jomei/notionapi"
)

// refusesHeading4 reports Notion refusing a heading_4 block, as a
// workspace that does not have the fourth heading level yet does.
func refusesHeading4(err error) bool {
	var api *notionapi.Error
	return errors.As(err, &api) && api.Code == "validation_error" && strings.Contains(api.Message, "heading_4")
}

// withoutHeading4 writes every heading_4 of the blocks, at any depth, as
// heading_3 once the workspace has refused heading_4: the text and the
// heading stay, one size larger.
func withoutHeading4(blocks []map[string]any, state *State) []map[string]any {
	if !state.NoHeading4 {
		return blocks
	}
	out := make([]map[string]any, len(blocks))
	for i, b := range blocks {
		out[i] = asHeading3(b)
	}
	return out
}

func asHeading3(b map[string]any) map[string]any {
	typ, _ := b["type"].(string)
	body, _ := b[typ].(map[string]any)
	out := make(map[string]any, len(b))
	for k, v := range b {
		out[k] = v
	}
	if typ == "heading_4" {
		delete(out, typ)
		out["type"], typ = "heading_3", "heading_3"
	}
	if body == nil {
		return out
	}
	copied := make(map[string]any, len(body))
	for k, v := range body {
		copied[k] = v
	}
	if kids, ok := body["children"].([]any); ok {
		converted := make([]any, len(kids))
		for i, k := range kids {
			if km, ok := k.(map[string]any); ok {
				converted[i] = asHeading3(km)
			} else {
				converted[i] = k
			}
		}
		copied["children"] = converted
	}
	out[typ] = copied
	return out
}
