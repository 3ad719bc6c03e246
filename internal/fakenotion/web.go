package fakenotion

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"time"
)

var idInPath = regexp.MustCompile(`([0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/?$`)

// Web returns the handler for www.notion.so: each page or database renders
// as a plain, readable page whose blocks carry data-block-id, refreshing
// itself so a person can watch blocks arrive. Unknown addresses still get a
// page, as a tab on Notion always shows something.
func (s *Server) Web() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := ""
		if p := r.URL.Query().Get("p"); p != "" {
			id = Dashed(p)
		} else if m := idInPath.FindStringSubmatch(r.URL.Path); m != nil {
			id = Dashed(m[1])
		}
		s.mu.Lock()
		title := "Notion"
		if p, ok := s.pages[id]; ok {
			title = strings.TrimSpace(p.Emoji + " " + p.Title)
		} else if d, ok := s.dbs[id]; ok {
			title = strings.TrimSpace(d.Emoji + " " + d.Title)
		}
		var body strings.Builder
		if d, ok := s.dbs[id]; ok && len(d.DataSources) > 0 {
			for _, ds := range d.DataSources {
				fmt.Fprintf(&body, "<h2>%s</h2>", html.EscapeString(ds.Name))
				s.renderRows(&body, s.dbs[ds.ID])
			}
		} else if ok {
			s.renderRows(&body, d)
		} else {
			renderBlocks(&body, s.tree(id))
		}
		s.mu.Unlock()
		if r.URL.Query().Get("format") == "json" {
			writeJSON(w, 200, map[string]string{"title": title, "html": body.String()})
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, webPage, html.EscapeString(title), html.EscapeString(title), body.String())
	})
}

const webPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%s</title>
<style>
body{font:16px/1.6 system-ui,sans-serif;max-width:760px;margin:48px auto;padding:0 24px;color:#37352f}
h1.title{font-size:40px;margin-bottom:24px}
[data-block-id]{margin:4px 0}
pre{background:#f7f6f3;padding:16px;border-radius:4px;overflow:auto}
blockquote{border-left:3px solid currentColor;margin:0;padding-left:14px}
.callout{background:#f1f1ef;padding:16px;border-radius:4px}
table{border-collapse:collapse}td{border:1px solid #e9e9e7;padding:6px 8px}
</style></head>
<body><div class="notion-page-content"><h1 class="title">%s</h1><div id="blocks" contenteditable="true">%s</div></div>
<script>
// Follows the blocks as they arrive, while the editor is not focused.
setInterval(async () => {
  if (document.activeElement && document.activeElement.closest('#blocks')) return;
  const u = new URL(location.href); u.searchParams.set('format', 'json');
  const r = await fetch(u); if (!r.ok) return;
  const {html} = await r.json();
  const el = document.getElementById('blocks'); if (el.innerHTML !== html) el.innerHTML = html;
}, 1500);
</script></body></html>`

func renderBlocks(b *strings.Builder, blocks []map[string]any) {
	for _, blk := range blocks {
		typ, _ := blk["type"].(string)
		content, _ := blk[typ].(map[string]any)
		text := html.EscapeString(plainOf(content["rich_text"]))
		tag, class := "p", typ
		switch typ {
		case "heading_1":
			tag = "h1"
		case "heading_2":
			tag = "h2"
		case "heading_3":
			tag = "h3"
		case "bulleted_list_item":
			text = "• " + text
		case "numbered_list_item":
			text = "1. " + text
		case "to_do":
			mark := "☐ "
			if checked, _ := content["checked"].(bool); checked {
				mark = "☑ "
			}
			text = mark + text
		case "code":
			tag = "pre"
		case "quote":
			tag = "blockquote"
		case "callout":
			if icon, ok := content["icon"].(map[string]any); ok && icon["emoji"] != nil {
				text = html.EscapeString(fmt.Sprint(icon["emoji"])) + " " + text
			}
		case "divider":
			tag, text = "hr", ""
		case "equation":
			text = html.EscapeString(fmt.Sprint(content["expression"]))
		case "image":
			if ext, ok := content["external"].(map[string]any); ok {
				text = fmt.Sprintf(`<img alt="" src="%s">`, html.EscapeString(fmt.Sprint(ext["url"])))
			}
		case "table_row":
			cells, _ := content["cells"].([]any)
			var row strings.Builder
			for _, c := range cells {
				row.WriteString("<td>" + html.EscapeString(plainOf(c)) + "</td>")
			}
			tag, text = "tr", row.String()
		case "table":
			tag = "table"
		}
		fmt.Fprintf(b, `<%s class="%s" data-block-id="%s">%s`, tag, class, blk["id"], text)
		if kids, ok := blk["children"].([]map[string]any); ok {
			renderBlocks(b, kids)
		}
		if tag != "hr" {
			fmt.Fprintf(b, "</%s>", tag)
		}
	}
}

// plainOf joins the text of a rich-text array as it arrived in JSON.
func plainOf(v any) string {
	raw, _ := json.Marshal(v)
	var items []struct {
		PlainText string `json:"plain_text"`
		Text      struct {
			Content string `json:"content"`
		} `json:"text"`
		Equation struct {
			Expression string `json:"expression"`
		} `json:"equation"`
	}
	_ = json.Unmarshal(raw, &items)
	var b strings.Builder
	for _, it := range items {
		switch {
		case it.PlainText != "":
			b.WriteString(it.PlainText)
		case it.Text.Content != "":
			b.WriteString(it.Text.Content)
		default:
			b.WriteString(it.Equation.Expression)
		}
	}
	return b.String()
}

// renderRows shows a database as a table of its rows and their values,
// each row linking to its page. The caller holds s.mu.
func (s *Server) renderRows(b *strings.Builder, d *Database) {
	props := d.schema()
	b.WriteString(`<table class="rows"><tr>`)
	for _, p := range props {
		b.WriteString("<th>" + html.EscapeString(p.Name) + "</th>")
	}
	b.WriteString("</tr>")
	for _, p := range s.rows(d.ID) {
		values := s.rowValues(p, d)
		fmt.Fprintf(b, `<tr data-block-id="%s">`, p.ID)
		for _, prop := range props {
			v := values[prop.Name].(map[string]any)[prop.Type]
			text := html.EscapeString(s.cellText(prop.Type, v))
			if prop.Type == "title" {
				text = fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(URL(p.Title, p.ID)), text)
			}
			b.WriteString("<td>" + text + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
}

// cellText is a value as a database table cell shows it: people by name,
// related pages by title. The caller holds s.mu.
func (s *Server) cellText(typ string, v any) string {
	switch typ {
	case "title", "rich_text":
		return plainOf(v)
	case "select", "status":
		if o, ok := v.(map[string]any); ok {
			return fmt.Sprint(o["name"])
		}
	case "multi_select", "files":
		return strings.Join(names(typ, v), ", ")
	case "people", "created_by", "last_edited_by":
		if m, ok := v.(map[string]any); ok {
			v = []any{m}
		}
		items, _ := v.([]any)
		var out []string
		for _, it := range items {
			m, _ := it.(map[string]any)
			name, _ := m["name"].(string)
			if name == "" {
				name = fmt.Sprint(m["id"])
			}
			out = append(out, name)
		}
		return strings.Join(out, ", ")
	case "relation":
		var out []string
		for _, id := range names(typ, v) {
			if p, ok := s.pages[id]; ok {
				out = append(out, p.Title)
			} else {
				out = append(out, id)
			}
		}
		return strings.Join(out, ", ")
	case "formula", "rollup":
		if m, ok := v.(map[string]any); ok {
			result, _ := m["type"].(string)
			if family := map[string]string{"string": "url", "number": "number", "date": "date", "boolean": "checkbox"}[result]; family != "" {
				return s.cellText(family, m[result])
			}
		}
	case "date":
		if o, ok := v.(map[string]any); ok {
			if end, _ := o["end"].(string); end != "" {
				return fmt.Sprintf("%v → %s", o["start"], end)
			}
			return fmt.Sprint(o["start"])
		}
	case "created_time", "last_edited_time":
		if t, ok := v.(time.Time); ok {
			return t.UTC().Format("2006-01-02 15:04")
		}
	case "checkbox":
		if v == true {
			return "☑"
		}
		return "☐"
	case "number", "url", "email", "phone_number":
		if v != nil {
			return fmt.Sprint(v)
		}
	}
	return ""
}
