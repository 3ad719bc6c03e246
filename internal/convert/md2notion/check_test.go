package md2notion

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/gohugoio/hugo-goldmark-extensions/passthrough"
	"github.com/jomei/notionapi"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/visen/visen/internal/notion/limits"
)

// tb is what the checks need from a test or a fuzz run.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// asJSON is the tree as Notion receives it.
func asJSON(t tb, blocks []notionapi.Block) []any {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out []any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return out
}

// checkLimits fails t for anything in the tree Notion would refuse.
func checkLimits(t tb, blocks []notionapi.Block) {
	t.Helper()
	walkBlocks(asJSON(t, blocks), func(b map[string]any) {
		typ, _ := b["type"].(string)
		if b["object"] != "block" || typ == "" {
			t.Errorf("block without object or type: %v", b)
			return
		}
		body, ok := b[typ].(map[string]any)
		if !ok {
			t.Errorf("%s block without its %q object", typ, typ)
			return
		}
		for _, key := range []string{"rich_text", "caption"} {
			if rt, ok := body[key].([]any); ok {
				checkRichText(t, typ+"."+key, rt)
			}
		}
		switch typ {
		case "code":
			if lang, _ := body["language"].(string); !notionLanguages[lang] {
				t.Errorf("code language %q is not one of Notion's", lang)
			}
		case "equation":
			expr, _ := body["expression"].(string)
			if expr == "" || limits.UTF16Len(expr) > limits.Equation {
				t.Errorf("equation of %d units", limits.UTF16Len(expr))
			}
		case "image":
			ext, _ := body["external"].(map[string]any)
			u, _ := ext["url"].(string)
			if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || limits.UTF16Len(u) > limits.LinkURL {
				t.Errorf("image URL %q", u)
			}
		case "table":
			width := int(body["table_width"].(float64))
			for _, row := range body["children"].([]any) {
				cells := row.(map[string]any)["table_row"].(map[string]any)["cells"].([]any)
				if len(cells) != width {
					t.Errorf("table row of %d cells in a table %d wide", len(cells), width)
				}
				for _, c := range cells {
					checkRichText(t, "table cell", c.([]any))
				}
			}
		}
	})
}

func checkRichText(t tb, where string, rt []any) {
	t.Helper()
	if len(rt) > limits.RichTextItems {
		t.Errorf("%s has %d rich-text items", where, len(rt))
	}
	for _, item := range rt {
		it := item.(map[string]any)
		if txt, ok := it["text"].(map[string]any); ok {
			content, _ := txt["content"].(string)
			if limits.UTF16Len(content) > limits.TextContent {
				t.Errorf("%s: text of %d units", where, limits.UTF16Len(content))
			}
			if link, ok := txt["link"].(map[string]any); ok {
				u, _ := link["url"].(string)
				if linkURL(u) != u || u == "" {
					t.Errorf("%s: link URL %q", where, u)
				}
			}
		}
		if eq, ok := it["equation"].(map[string]any); ok {
			if expr, _ := eq["expression"].(string); expr == "" || limits.UTF16Len(expr) > limits.Equation {
				t.Errorf("%s: inline equation of %d units", where, limits.UTF16Len(expr))
			}
		}
	}
}

func walkBlocks(blocks []any, visit func(map[string]any)) {
	for _, b := range blocks {
		m := b.(map[string]any)
		visit(m)
		if body, ok := m[m["type"].(string)].(map[string]any); ok {
			if kids, ok := body["children"].([]any); ok {
				walkBlocks(kids, visit)
			}
		}
	}
}

// outputText is every character a reader can see in the tree, joined.
func outputText(t tb, blocks []notionapi.Block) string {
	var b strings.Builder
	addRT := func(rt []any) {
		for _, item := range rt {
			it := item.(map[string]any)
			if txt, ok := it["text"].(map[string]any); ok {
				b.WriteString(txt["content"].(string))
			}
			if eq, ok := it["equation"].(map[string]any); ok {
				b.WriteString(eq["expression"].(string))
			}
		}
		b.WriteString(" ")
	}
	walkBlocks(asJSON(t, blocks), func(m map[string]any) {
		body, _ := m[m["type"].(string)].(map[string]any)
		for _, key := range []string{"rich_text", "caption"} {
			if rt, ok := body[key].([]any); ok {
				addRT(rt)
			}
		}
		if expr, ok := body["expression"].(string); ok {
			b.WriteString(expr + " ")
		}
		if cells, ok := body["cells"].([]any); ok {
			for _, c := range cells {
				addRT(c.([]any))
			}
		}
	})
	return b.String()
}

// inputWords are the words of the document's text, from goldmark's own AST.
func inputWords(src []byte) []string {
	src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	doc := markdown().Parser().Parse(text.NewReader(src))
	var words []string
	add := func(s string) { words = append(words, strings.Fields(s)...) }
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			// Code keeps its backslashes: Markdown escapes mean nothing there.
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					add(string(t.Segment.Value(src)))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			add(decode(n.Segment.Value(src)))
		case *ast.String:
			add(string(n.Value))
		case *passthrough.PassthroughInline:
			tex, _ := math(src, n)
			add(tex)
		case *ast.HTMLBlock:
			add(visible(htmlText(&converter{src: src}, n)))
		}
		if n.Type() == ast.TypeBlock && (n.Kind() == ast.KindFencedCodeBlock || n.Kind() == ast.KindCodeBlock || n.Kind() == passthrough.KindPassthroughBlock) {
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				add(strings.Trim(string(seg.Value(src)), `$\[]`))
			}
		}
		return ast.WalkContinue, nil
	})
	return words
}

// checkWords fails t for any word of the input's text missing from the output.
func checkWords(t tb, src []byte, blocks []notionapi.Block) {
	t.Helper()
	out := outputText(t, blocks)
	// Most words stand whole in the output; look those up in a set, and
	// search the text only for the rest (words glued to markup).
	whole := map[string]bool{}
	for _, w := range strings.Fields(out) {
		whole[w] = true
	}
	for _, w := range inputWords(src) {
		if !whole[w] && !strings.Contains(out, w) {
			t.Errorf("the word %q is missing from the output", w)
			return
		}
	}
}
