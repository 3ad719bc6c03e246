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
body{font:16px/1.5 ui-sans-serif,-apple-system,system-ui,"Segoe UI",sans-serif;max-width:760px;margin:48px auto;padding:0 24px;color:#37352f}
h1.title{font-size:40px;margin-bottom:24px}
h1,h2,h3,h4{margin:1.2em 0 .2em;line-height:1.3}h1{font-size:30px}h2{font-size:24px}h3{font-size:20px}h4{font-size:17px}
[data-block-id]{margin:2px 0}
.children{margin-left:24px}
.bulleted_list_item,.numbered_list_item,.to_do{display:flex;gap:6px}
.marker{min-width:18px;text-align:center}
.to_do .checked{text-decoration:line-through;opacity:.6}
code{font:85%% ui-monospace,SFMono-Regular,Menlo,monospace;background:rgba(135,131,120,.15);color:#eb5757;padding:.2em .4em;border-radius:3px}
pre.code{background:#f7f6f3;padding:32px 16px 16px;border-radius:4px;overflow:auto;position:relative}
pre.code code{background:none;color:inherit;padding:0}
pre.code .language{position:absolute;top:6px;left:16px;font:12px system-ui;color:#9b9a97}
blockquote{border-left:3px solid currentColor;margin:4px 0;padding-left:14px}
.callout{display:flex;gap:10px;background:#f1f1ef;padding:16px;border-radius:4px}
.equation{text-align:center;padding:8px}
.equation code,.inline-equation{background:none;color:inherit;font-family:"Times New Roman",serif;font-style:italic}
details.toggle>summary{cursor:pointer}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #e9e9e7;padding:6px 8px;text-align:left}th{background:#f7f6f3}
a{color:inherit;text-decoration:underline;text-decoration-color:rgba(55,53,47,.4)}
img{max-width:100%%}
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

// notionColors are the colours Notion paints text and backgrounds with.
var notionColors = map[string]string{
	"gray": "#787774", "brown": "#9f6b53", "orange": "#d9730d", "yellow": "#cb912f", "green": "#448361",
	"blue": "#337ea9", "purple": "#9065b0", "pink": "#c14c8a", "red": "#d44c47",
	"gray_background": "#f1f1ef", "brown_background": "#f4eeee", "orange_background": "#fbecdd",
	"yellow_background": "#fbf3db", "green_background": "#edf3ec", "blue_background": "#e7f3f8",
	"purple_background": "#f6f3f9", "pink_background": "#faf1f5", "red_background": "#fdebec",
}

// colorStyle is the style attribute for a Notion colour, or nothing.
func colorStyle(color any) string {
	name, _ := color.(string)
	hex, ok := notionColors[name]
	switch {
	case !ok:
		return ""
	case strings.HasSuffix(name, "_background"):
		return fmt.Sprintf(` style="background:%s"`, hex)
	default:
		return fmt.Sprintf(` style="color:%s"`, hex)
	}
}

// renderBlocks draws blocks as Notion shows them: each block an element
// with its type as class and its ID as data-block-id, holding its text
// with bold, italic, code, links and colours, and then its children.
func renderBlocks(b *strings.Builder, blocks []map[string]any) {
	number := 0
	for _, blk := range blocks {
		typ, _ := blk["type"].(string)
		content, _ := blk[typ].(map[string]any)
		if typ == "numbered_list_item" {
			number++
		} else {
			number = 0
		}
		kids, _ := blk["children"].([]map[string]any)
		text := renderRich(content["rich_text"])
		open := func(tag, extra string) {
			fmt.Fprintf(b, `<%s class="%s" data-block-id="%s"%s>`, tag, typ, html.EscapeString(fmt.Sprint(blk["id"])), extra)
		}
		children := func() {
			if len(kids) > 0 {
				b.WriteString(`<div class="children">`)
				renderBlocks(b, kids)
				b.WriteString(`</div>`)
			}
		}
		switch typ {
		case "heading_1", "heading_2", "heading_3", "heading_4":
			tag := "h" + typ[len(typ)-1:]
			open(tag, colorStyle(content["color"]))
			b.WriteString(text + "</" + tag + ">")
			children()
		case "bulleted_list_item", "numbered_list_item", "to_do":
			marker := "•"
			switch typ {
			case "numbered_list_item":
				marker = fmt.Sprintf("%d.", number)
			case "to_do":
				marker = "☐"
				if checked, _ := content["checked"].(bool); checked {
					marker, text = "☑", `<span class="checked">`+text+`</span>`
				}
			}
			open("div", colorStyle(content["color"]))
			fmt.Fprintf(b, `<span class="marker" contenteditable="false">%s</span><div>%s`, marker, text)
			children()
			b.WriteString("</div></div>")
		case "toggle":
			open("details", " open")
			b.WriteString("<summary>" + text + "</summary>")
			children()
			b.WriteString("</details>")
		case "quote":
			open("blockquote", colorStyle(content["color"]))
			b.WriteString(text)
			children()
			b.WriteString("</blockquote>")
		case "callout":
			style := colorStyle(content["color"])
			if style == "" || strings.Contains(style, "color:") {
				style = ""
			}
			open("div", style)
			icon := "💡"
			if i, ok := content["icon"].(map[string]any); ok && i["emoji"] != nil {
				icon = fmt.Sprint(i["emoji"])
			}
			fmt.Fprintf(b, `<span class="icon" contenteditable="false">%s</span><div>%s`, html.EscapeString(icon), text)
			children()
			b.WriteString("</div></div>")
		case "code":
			lang, _ := content["language"].(string)
			open("pre", ` data-language="`+html.EscapeString(lang)+`"`)
			fmt.Fprintf(b, `<span class="language" contenteditable="false">%s</span><code>%s</code></pre>`, html.EscapeString(lang), html.EscapeString(plainOf(content["rich_text"])))
		case "equation":
			open("div", "")
			fmt.Fprintf(b, `<code class="tex">%s</code></div>`, html.EscapeString(fmt.Sprint(content["expression"])))
		case "divider":
			open("hr", "")
		case "image":
			open("figure", "")
			if ext, ok := content["external"].(map[string]any); ok {
				fmt.Fprintf(b, `<img alt="" src="%s">`, html.EscapeString(fmt.Sprint(ext["url"])))
			}
			if caption := renderRich(content["caption"]); caption != "" {
				b.WriteString("<figcaption>" + caption + "</figcaption>")
			}
			b.WriteString("</figure>")
		case "table":
			open("table", "")
			header, _ := content["has_column_header"].(bool)
			for i, row := range kids {
				cells, _ := row["table_row"].(map[string]any)["cells"].([]any)
				cell := "td"
				if header && i == 0 {
					cell = "th"
				}
				fmt.Fprintf(b, `<tr class="table_row" data-block-id="%s">`, html.EscapeString(fmt.Sprint(row["id"])))
				for _, c := range cells {
					fmt.Fprintf(b, "<%s>%s</%s>", cell, renderRich(c), cell)
				}
				b.WriteString("</tr>")
			}
			b.WriteString("</table>")
		case "bookmark", "embed", "link_preview":
			url := html.EscapeString(fmt.Sprint(content["url"]))
			open("p", "")
			fmt.Fprintf(b, `<a href="%s">%s</a></p>`, url, url)
		case "child_page", "child_database":
			open("p", "")
			fmt.Fprintf(b, "📄 <u>%s</u></p>", html.EscapeString(fmt.Sprint(content["title"])))
		default:
			open("p", colorStyle(content["color"]))
			b.WriteString(text + "</p>")
			children()
		}
	}
}

// richItem is one piece of a rich-text array as it arrived in JSON.
type richItem struct {
	Type      string `json:"type"`
	PlainText string `json:"plain_text"`
	Href      string `json:"href"`
	Text      struct {
		Content string `json:"content"`
		Link    *struct {
			URL string `json:"url"`
		} `json:"link"`
	} `json:"text"`
	Equation struct {
		Expression string `json:"expression"`
	} `json:"equation"`
	Annotations struct {
		Bold          bool   `json:"bold"`
		Italic        bool   `json:"italic"`
		Strikethrough bool   `json:"strikethrough"`
		Underline     bool   `json:"underline"`
		Code          bool   `json:"code"`
		Color         string `json:"color"`
	} `json:"annotations"`
}

func richItems(v any) []richItem {
	raw, _ := json.Marshal(v)
	var items []richItem
	_ = json.Unmarshal(raw, &items)
	return items
}

// text is what the item reads as, whatever its type.
func (it richItem) text() string {
	switch {
	case it.PlainText != "":
		return it.PlainText
	case it.Text.Content != "":
		return it.Text.Content
	default:
		return it.Equation.Expression
	}
}

// renderRich draws a rich-text array as Notion shows it.
func renderRich(v any) string {
	var b strings.Builder
	for _, it := range richItems(v) {
		s := html.EscapeString(it.text())
		if it.Type == "equation" {
			s = `<span class="inline-equation">` + s + `</span>`
		}
		a := it.Annotations
		for _, w := range []struct {
			on  bool
			tag string
		}{{a.Code, "code"}, {a.Bold, "strong"}, {a.Italic, "em"}, {a.Strikethrough, "s"}, {a.Underline, "u"}} {
			if w.on {
				s = "<" + w.tag + ">" + s + "</" + w.tag + ">"
			}
		}
		if style := colorStyle(a.Color); style != "" {
			s = "<span" + style + ">" + s + "</span>"
		}
		href := it.Href
		if href == "" && it.Text.Link != nil {
			href = it.Text.Link.URL
		}
		if href != "" {
			s = `<a href="` + html.EscapeString(href) + `">` + s + "</a>"
		}
		b.WriteString(s)
	}
	return b.String()
}

// plainOf joins the text of a rich-text array as it arrived in JSON.
func plainOf(v any) string {
	var b strings.Builder
	for _, it := range richItems(v) {
		b.WriteString(it.text())
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
