package fakenotion

import (
	"fmt"
	"net/url"
	"unicode/utf16"
)

// blockKeys are the properties a request may give each block type, as
// Notion's request types allow them.
var blockKeys = map[string]map[string]bool{
	"paragraph":          set("rich_text", "children", "color"),
	"heading_1":          set("rich_text", "children", "color", "is_toggleable"),
	"heading_2":          set("rich_text", "children", "color", "is_toggleable"),
	"heading_3":          set("rich_text", "children", "color", "is_toggleable"),
	"heading_4":          set("rich_text", "children", "color", "is_toggleable"),
	"bulleted_list_item": set("rich_text", "children", "color"),
	"numbered_list_item": set("rich_text", "children", "color"),
	"to_do":              set("rich_text", "children", "color", "checked"),
	"toggle":             set("rich_text", "children", "color"),
	"quote":              set("rich_text", "children", "color"),
	"callout":            set("rich_text", "children", "color", "icon"),
	"code":               set("rich_text", "language", "caption"),
	"equation":           set("expression"),
	"divider":            set(),
	"image":              set("type", "external", "caption"),
	"table":              set("table_width", "has_column_header", "has_row_header", "children"),
	"table_row":          set("cells"),
}

// richTextKeys are the keys a rich text item may have in a request; Notion
// ignores plain_text and href there, so text read back can be sent again.
var richTextKeys = set("type", "text", "equation", "annotations", "mention", "plain_text", "href")

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// validateChildren checks a children array the way Notion does, returning
// the message of Notion's validation_error, or "".
func validateChildren(path string, children []any, depth int) string {
	if len(children) > maxChildren {
		return fmt.Sprintf("%s.length should be ≤ `%d`, instead was `%d`.", path, maxChildren, len(children))
	}
	for i, c := range children {
		if msg := validateBlock(fmt.Sprintf("%s[%d]", path, i), c, depth); msg != "" {
			return msg
		}
	}
	return ""
}

func validateBlock(path string, v any, depth int) string {
	b, ok := v.(map[string]any)
	if !ok {
		return path + " should be an object."
	}
	typ, _ := b["type"].(string)
	keys, known := blockKeys[typ]
	if !known {
		return fmt.Sprintf("%s.type should be a supported block type, instead was `%q`.", path, typ)
	}
	for k := range b {
		if k != "object" && k != "type" && k != typ {
			return fmt.Sprintf("%s.%s should be not present, instead was `%v`.", path, k, b[k])
		}
	}
	if o, ok := b["object"]; ok && o != "block" {
		return fmt.Sprintf("%s.object should be `\"block\"`, instead was `%v`.", path, o)
	}
	body, ok := b[typ].(map[string]any)
	if !ok {
		return fmt.Sprintf("%s.%s should be defined, instead was `undefined`.", path, typ)
	}
	p := path + "." + typ
	for k := range body {
		if !keys[k] {
			return fmt.Sprintf("%s.%s should be not present, instead was `%v`.", p, k, body[k])
		}
	}
	if rt, ok := body["rich_text"]; ok {
		if msg := validateRichText(p+".rich_text", rt); msg != "" {
			return msg
		}
	}
	switch typ {
	case "code":
		if lang, _ := body["language"].(string); !codeLanguages[lang] {
			return fmt.Sprintf("%s.language should be one of Notion's languages, instead was `%q`.", p, lang)
		}
	case "equation":
		expr, _ := body["expression"].(string)
		if units(expr) > maxEquation {
			return fmt.Sprintf("%s.expression.length should be ≤ `%d`, instead was `%d`.", p, maxEquation, units(expr))
		}
	case "image":
		ext, _ := body["external"].(map[string]any)
		u, _ := ext["url"].(string)
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return fmt.Sprintf("%s.external.url should be a valid URL, instead was `%q`.", p, u)
		}
	case "table":
		kids, _ := body["children"].([]any)
		if len(kids) == 0 {
			return fmt.Sprintf("%s.children should be defined, instead was `undefined`.", p)
		}
	case "table_row":
		cells, _ := body["cells"].([]any)
		for j, c := range cells {
			if msg := validateRichText(fmt.Sprintf("%s.cells[%d]", p, j), c); msg != "" {
				return msg
			}
		}
	}
	if kids, ok := body["children"].([]any); ok {
		if depth >= maxNesting {
			return fmt.Sprintf("%s.children should be not present, instead was `[...]`.", p)
		}
		return validateChildren(p+".children", kids, depth+1)
	}
	return ""
}

func validateRichText(path string, v any) string {
	items, ok := v.([]any)
	if !ok {
		return path + " should be an array."
	}
	if len(items) > maxRichTextItems {
		return fmt.Sprintf("%s.length should be ≤ `%d`, instead was `%d`.", path, maxRichTextItems, len(items))
	}
	for i, it := range items {
		m, ok := it.(map[string]any)
		p := fmt.Sprintf("%s[%d]", path, i)
		if !ok {
			return fmt.Sprintf("%s should be an object, instead was `%v`.", p, it)
		}
		for k := range m {
			if !richTextKeys[k] {
				return fmt.Sprintf("%s.%s should be not present, instead was `%v`.", p, k, m[k])
			}
		}
		if t, ok := m["text"].(map[string]any); ok {
			content, _ := t["content"].(string)
			if units(content) > maxTextContent {
				return fmt.Sprintf("%s.text.content.length should be ≤ `%d`, instead was `%d`.", p, maxTextContent, units(content))
			}
			if link, ok := t["link"].(map[string]any); ok {
				u, _ := link["url"].(string)
				pu, err := url.Parse(u)
				if err != nil || units(u) > maxLinkURL || !(pu.Scheme == "http" || pu.Scheme == "https" || pu.Scheme == "mailto") {
					return fmt.Sprintf("%s.text.link.url should be a valid URL, instead was `%q`.", p, u)
				}
			}
		}
		if e, ok := m["equation"].(map[string]any); ok {
			expr, _ := e["expression"].(string)
			if units(expr) > maxEquation {
				return fmt.Sprintf("%s.equation.expression.length should be ≤ `%d`, instead was `%d`.", p, maxEquation, units(expr))
			}
		}
	}
	return ""
}

func units(s string) int {
	return len(utf16.Encode([]rune(s)))
}

// countBlocks counts the blocks in a children array, at every level.
func countBlocks(children []any) int {
	n := 0
	for _, c := range children {
		n++
		b, _ := c.(map[string]any)
		typ, _ := b["type"].(string)
		if body, ok := b[typ].(map[string]any); ok {
			if kids, ok := body["children"].([]any); ok {
				n += countBlocks(kids)
			}
		}
	}
	return n
}
