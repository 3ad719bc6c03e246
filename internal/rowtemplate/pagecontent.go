package rowtemplate

import (
	"maps"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/prompts"
)

// PageContent is the placeholder for a row's page body as Markdown. It is
// valid in every database, unless a property has that name: then it is the
// property.
const PageContent = "Page content"

// UsesPageContent reports whether the template holds {{Page content}} as
// the row's page body, which must be read before rendering.
func (t *Template) UsesPageContent() bool { return t.pageContent }

// WithPageContent returns a copy of a row's values with {{Page content}}
// set to the page body's Markdown, fenced off as content so that the
// model reads it as material, not instructions. An empty body is an empty
// value.
func WithPageContent(values map[string]notion.Value, markdown string) map[string]notion.Value {
	out := maps.Clone(values)
	if out == nil {
		out = map[string]notion.Value{}
	}
	v := notion.Value{Type: "rich_text", RichText: []notionapi.RichText{}}
	if markdown != "" {
		v.RichText = append(v.RichText, notionapi.RichText{Type: "text", PlainText: prompts.Fence(markdown)})
	}
	out[PageContent] = v
	return out
}
