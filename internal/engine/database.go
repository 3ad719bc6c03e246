package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/visen/visen/internal/convert/notion2md"
	"github.com/visen/visen/internal/fill"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/rowtemplate"
	"github.com/visen/visen/internal/writer"
)

// QueryRowsRequest asks for a page of a database's rows.
type QueryRowsRequest struct {
	NotionSecret string `json:"notionSecret"`
	DatabaseID   string `json:"databaseId"`
	// DataSourceID is the database's data source; empty means its first.
	DataSourceID string          `json:"dataSourceId,omitempty"`
	Schema       []notion.Schema `json:"properties"`
	Query        notion.RowQuery `json:"query"`
}

func (e *Engine) queryRows(ctx context.Context, req QueryRowsRequest) (any, error) {
	c := notion.New(e.notionHTTP, req.NotionSecret)
	source, err := dataSource(ctx, c, req.DatabaseID, req.DataSourceID)
	if err != nil {
		return nil, err
	}
	return c.QueryRows(ctx, source, req.Schema, req.Query)
}

// PreviewRequest renders a template for one row, or only checks it when
// there is no row.
type PreviewRequest struct {
	NotionSecret string          `json:"notionSecret"`
	Schema       []notion.Schema `json:"properties"`
	Template     string          `json:"template"`
	Row          *notion.Row     `json:"row,omitempty"`
}

// Preview is the prompt a row would be sent.
type Preview struct {
	Prompt string `json:"prompt"`
	// Empty names the placeholders that are empty for the row.
	Empty []string `json:"empty,omitempty"`
}

func (e *Engine) previewRow(ctx context.Context, req PreviewRequest) (any, error) {
	t, err := rowtemplate.Parse(req.Template, req.Schema)
	if err != nil || req.Row == nil {
		return Preview{}, err
	}
	titles := map[string]string{}
	c := notion.New(e.notionHTTP, req.NotionSecret)
	if t.UsesPageContent() {
		read, err := c.ReadWhole(ctx, req.Row.ID)
		if err != nil {
			return nil, err
		}
		req.Row.Properties = rowtemplate.WithPageContent(req.Row.Properties, notion2md.Markdown(read.Blocks))
	}
	for _, id := range t.RelationIDs(req.Row.Properties) {
		if row, err := c.Row(ctx, id); err == nil {
			titles[id] = row.Title
		}
	}
	prompt := t.Render(req.Row.Properties, func(id string) (string, bool) {
		title, ok := titles[id]
		return title, ok && title != ""
	})
	return Preview{Prompt: prompt, Empty: t.Empty(req.Row.Properties)}, nil
}

// FillRequest starts or resumes a run of a template over rows.
type FillRequest struct {
	JobID string `json:"jobId"`
	Writing
	DatabaseID string `json:"databaseId"`
	// DataSourceID is the database's data source; empty means its first.
	DataSourceID string          `json:"dataSourceId,omitempty"`
	Schema       []notion.Schema `json:"properties"`
	Template     string          `json:"template"`
	Query        notion.RowQuery `json:"query"`
	Output       fill.Output     `json:"output"`
	// Previous holds the blocks earlier runs wrote, by row, for Replace.
	Previous map[string][]string `json:"previous,omitempty"`
	// Run holds the rows, with the state of an earlier attempt to resume.
	Run fill.Run `json:"run"`
	// Concurrency is how many rows generate at once, 1 to 16; 0 means 8.
	Concurrency int `json:"concurrency,omitempty"`
}

// Fill runs a template over rows, reporting the run through onUpdate as
// JSON, and returns the final reply: the run, or the failure with it.
func (e *Engine) Fill(ctx context.Context, payload []byte, onUpdate func([]byte)) []byte {
	req, err := decode[FillRequest](payload)
	if err != nil {
		return marshalReply(Reply{Error: failureOf(err)})
	}
	t, err := rowtemplate.Parse(req.Template, req.Schema)
	if err != nil {
		return marshalReply(Reply{Data: req.Run, Error: failureOf(err)})
	}
	if err := checkOutput(req.Output, req.Schema); err != nil {
		return marshalReply(Reply{Data: req.Run, Error: failureOf(err)})
	}
	ctx, done, busy := e.running.start(ctx, req.JobID, req.DatabaseID)
	if busy != nil {
		return marshalReply(Reply{Error: busy})
	}
	defer done()
	run := req.Run
	c := notion.New(e.notionHTTP, req.NotionSecret)
	source, err := dataSource(ctx, c, req.DatabaseID, req.DataSourceID)
	if err != nil {
		return marshalReply(Reply{Data: run, Error: failureOf(err)})
	}
	r := &fill.Runner{
		Notion:       c,
		Writer:       writer.New(e.notionHTTP, req.NotionSecret, nil),
		AI:           e.provider(req.AIConnection),
		Request:      req.request(""),
		DataSourceID: source,
		Schema:       req.Schema,
		Template:     t,
		Query:        req.Query,
		Output:       req.Output,
		Previous:     req.Previous,
		Concurrency:  req.Concurrency,
		OnUpdate: func(r fill.Run) {
			if raw, err := json.Marshal(r); err == nil {
				onUpdate(raw)
			}
		},
	}
	if err := r.Run(ctx, &run); err != nil {
		f := failureOf(e.explain(ctx, err, req.NotionSecret))
		if ctx.Err() != nil {
			f = &Failure{Code: "cancelled", Message: "Stopped. Rows already written stay written; Retry goes on with the rest."}
		}
		return marshalReply(Reply{Data: run, Error: f})
	}
	return marshalReply(Reply{OK: true, Data: run})
}

// dataSource is the data source a database request works on: the one it
// names or, for a request made before databases held several, the first.
func dataSource(ctx context.Context, c *notion.Client, databaseID, sourceID string) (string, error) {
	if sourceID != "" {
		return sourceID, nil
	}
	return c.FirstSource(ctx, databaseID)
}

// checkOutput refuses an output property that is not a text property of
// the database.
func checkOutput(out fill.Output, schema []notion.Schema) error {
	if out.Property == "" {
		return nil
	}
	i := slices.IndexFunc(schema, func(s notion.Schema) bool { return s.Name == out.Property })
	if i < 0 {
		return &inputError{"invalid_output", fmt.Sprintf("This database has no property called “%s” any more. Choose where the answers go again.", out.Property)}
	}
	if schema[i].Type != "rich_text" {
		return &inputError{"invalid_output", fmt.Sprintf("%s is not a text property. Choose a text property, or the page body.", out.Property)}
	}
	return nil
}

// newPageProperties turns the simple values a person set in the popup
// (select, status, date, checkbox, by property name) into Notion's
// request shape, with the title.
func newPageProperties(schema []notion.Schema, title string, values map[string]string) (map[string]any, error) {
	props := map[string]any{}
	for _, s := range schema {
		if s.Type == "title" {
			props[s.Name] = map[string]any{"title": textItems(title)}
		}
	}
	for name, v := range values {
		v = strings.TrimSpace(v)
		i := slices.IndexFunc(schema, func(s notion.Schema) bool { return s.Name == name })
		if i < 0 {
			return nil, &inputError{"invalid_property", fmt.Sprintf("This database has no property called “%s” any more. Open Visen again.", name)}
		}
		switch schema[i].Type {
		case "select", "status":
			if v != "" {
				props[name] = map[string]any{schema[i].Type: map[string]any{"name": v}}
			}
		case "date":
			if v != "" {
				props[name] = map[string]any{"date": map[string]any{"start": v}}
			}
		case "checkbox":
			props[name] = map[string]any{"checkbox": v == "true"}
		default:
			return nil, &inputError{"invalid_property", fmt.Sprintf("Visen sets only select, status, date and checkbox properties; %s is not one.", name)}
		}
	}
	return props, nil
}

// textItems splits text into rich-text items within Notion's length, a
// thousand characters each (at most two thousand UTF-16 units).
func textItems(s string) []map[string]any {
	items := []map[string]any{}
	r := []rune(s)
	for len(r) > 0 {
		n := min(len(r), 1000)
		items = append(items, map[string]any{"type": "text", "text": map[string]any{"content": string(r[:n])}})
		r = r[n:]
	}
	return items
}
