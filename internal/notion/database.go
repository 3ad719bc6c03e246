package notion

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/notionurl"
)

// apiBase is the address notionapi v1.13.3 sends to, so both kinds of
// request see the same Notion.
const apiBase = "https://api.notion.com/v1/"

// call sends one request on VersionDataSources and decodes the answer into
// out. Notion's error answers become *notionapi.Error, as notionapi makes
// them, so Classify reads both alike.
func (c *Client) call(ctx context.Context, method, path string, body, out any) error {
	return c.callOn(ctx, VersionDataSources, method, path, body, out)
}

// callOn is call on the given Notion-Version.
func (c *Client) callOn(ctx context.Context, version, method, path string, body, out any) error {
	var req *http.Request
	var err error
	if body != nil {
		raw, merr := json.Marshal(body)
		if merr != nil {
			return merr
		}
		// A bytes.Reader body lets the transport replay it on a retry.
		req, err = http.NewRequestWithContext(ctx, method, apiBase+path, bytes.NewReader(raw))
	} else {
		req, err = http.NewRequestWithContext(ctx, method, apiBase+path, nil)
	}
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.secret)
	req.Header.Set("Notion-Version", version)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var apiErr notionapi.Error
		if err := json.NewDecoder(resp.Body).Decode(&apiErr); err != nil {
			return err
		}
		if apiErr.Status == 0 {
			apiErr.Status = resp.StatusCode
		}
		return &apiErr
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

type rawDatabase struct {
	ID          string               `json:"id"`
	URL         string               `json:"url"`
	Archived    bool                 `json:"archived"`
	InTrash     bool                 `json:"in_trash"`
	Title       []notionapi.RichText `json:"title"`
	Icon        *notionapi.Icon      `json:"icon"`
	DataSources []DataSource         `json:"data_sources"`
}

// DataSource is one table of a database: a database holds one or more,
// each with its own properties and rows.
type DataSource struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type rawDataSource struct {
	ID         string               `json:"id"`
	Archived   bool                 `json:"archived"`
	InTrash    bool                 `json:"in_trash"`
	Properties map[string]rawSchema `json:"properties"`
}

type rawSchema struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Type        string      `json:"type"`
	Select      *rawOptions `json:"select"`
	MultiSelect *rawOptions `json:"multi_select"`
	Status      *rawOptions `json:"status"`
}

type rawOptions struct {
	Options []Option `json:"options"`
}

// database looks a database up with the data source to work on: source
// when it is one of the database's, else the one the view shows, else the
// first.
func (c *Client) database(ctx context.Context, id, view, source string) (*Object, error) {
	var d rawDatabase
	if err := c.call(ctx, http.MethodGet, "databases/"+url.PathEscape(id), nil, &d); err != nil {
		return nil, withObject(Classify("retrieve database", err), "database")
	}
	if d.Archived || d.InTrash {
		return nil, &Error{Kind: KindArchived, Op: "retrieve database", Object: "database"}
	}
	t := &Object{Kind: "database", ID: d.ID, Title: plain(d.Title), Icon: iconOf(d.Icon), URL: d.URL, DataSources: d.DataSources}
	if len(d.DataSources) == 0 {
		return t, nil
	}
	t.DataSourceID = c.chooseSource(ctx, d.DataSources, view, source)
	props, err := c.SourceSchema(ctx, t.DataSourceID)
	if err != nil {
		return nil, err
	}
	t.Properties = props
	return t, nil
}

// chooseSource picks the data source a database address means.
func (c *Client) chooseSource(ctx context.Context, sources []DataSource, view, source string) string {
	has := func(id string) bool {
		return slices.ContainsFunc(sources, func(s DataSource) bool { return notionurl.PlainID(s.ID) == notionurl.PlainID(id) })
	}
	if source != "" && has(source) {
		return source
	}
	if view != "" {
		// A view shows one data source. A view Notion will not describe
		// (not shared, or gone) says nothing, and the first source serves.
		var v struct {
			DataSourceID string `json:"data_source_id"`
		}
		if c.call(ctx, http.MethodGet, "views/"+url.PathEscape(view), nil, &v) == nil && has(v.DataSourceID) {
			return v.DataSourceID
		}
	}
	return sources[0].ID
}

// SourceSchema fetches a data source's properties.
func (c *Client) SourceSchema(ctx context.Context, id string) ([]Schema, error) {
	var ds rawDataSource
	if err := c.call(ctx, http.MethodGet, "data_sources/"+url.PathEscape(id), nil, &ds); err != nil {
		return nil, withObject(Classify("retrieve data source", err), "database")
	}
	if ds.Archived || ds.InTrash {
		return nil, &Error{Kind: KindArchived, Op: "retrieve data source", Object: "database"}
	}
	return schemaOf(ds.Properties), nil
}

// FirstSource is the first data source of a database: the one a request
// that names none means, as it was made before databases held several.
func (c *Client) FirstSource(ctx context.Context, databaseID string) (string, error) {
	var d rawDatabase
	if err := c.call(ctx, http.MethodGet, "databases/"+url.PathEscape(databaseID), nil, &d); err != nil {
		return "", withObject(Classify("retrieve database", err), "database")
	}
	if len(d.DataSources) == 0 {
		return "", &Error{Op: "retrieve database", Object: "database", Err: errNoSources}
	}
	return d.DataSources[0].ID, nil
}

// errNoSources is a database Notion lists without a data source, which it
// should never do.
var errNoSources = errors.New("notion: the database lists no data sources")

// schemaOf lists a database's properties with the title first, then by
// name: Notion's API gives them as an unordered object.
func schemaOf(props map[string]rawSchema) []Schema {
	out := make([]Schema, 0, len(props))
	for name, p := range props {
		s := Schema{ID: p.ID, Name: name, Type: p.Type}
		for _, o := range []*rawOptions{p.Select, p.MultiSelect, p.Status} {
			if o != nil {
				for _, opt := range o.Options {
					s.Options = append(s.Options, opt.Name)
				}
			}
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Schema) int {
		if (a.Type == "title") != (b.Type == "title") {
			if a.Type == "title" {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out
}

// RowQuery picks rows of a database: those whose title contains Search,
// and whose Property matches Value, a page of PageSize at a time.
type RowQuery struct {
	Search   string `json:"search,omitempty"`
	Property string `json:"property,omitempty"`
	Value    string `json:"value,omitempty"`
	Cursor   string `json:"cursor,omitempty"`
	PageSize int    `json:"pageSize,omitempty"`
}

// RowPage is one page of a query's rows; Next continues it.
type RowPage struct {
	Rows []Row  `json:"rows"`
	Next string `json:"next,omitempty"`
}

// FilterError is a filter Visen cannot send, with the reason for a person.
type FilterError struct {
	message string
}

func (e *FilterError) Error() string { return e.message }

// Code is the stable name the popup receives.
func (e *FilterError) Code() string { return "invalid_filter" }

// Message is the sentence a person reads.
func (e *FilterError) Message() string { return e.message }

type rawPage struct {
	ID         string           `json:"id"`
	URL        string           `json:"url"`
	Archived   bool             `json:"archived"`
	InTrash    bool             `json:"in_trash"`
	Properties map[string]Value `json:"properties"`
}

func (p rawPage) row() Row {
	r := Row{ID: p.ID, URL: p.URL, Archived: p.Archived || p.InTrash, Properties: p.Properties}
	for _, v := range p.Properties {
		if v.Type == "title" {
			r.Title = plain(v.Title)
		}
	}
	return r
}

// QueryRows lists rows of the data source whose properties are schema.
func (c *Client) QueryRows(ctx context.Context, sourceID string, schema []Schema, q RowQuery) (*RowPage, error) {
	var filters []map[string]any
	if s := strings.TrimSpace(q.Search); s != "" {
		for _, p := range schema {
			if p.Type == "title" {
				filters = append(filters, map[string]any{"property": p.ID, "title": map[string]any{"contains": s}})
			}
		}
	}
	if q.Property != "" {
		f, err := propertyFilter(schema, q.Property, q.Value)
		if err != nil {
			return nil, err
		}
		filters = append(filters, f)
	}
	body := map[string]any{"page_size": min(max(q.PageSize, 1), 100)}
	if q.PageSize == 0 {
		body["page_size"] = 100
	}
	switch len(filters) {
	case 0:
	case 1:
		body["filter"] = filters[0]
	default:
		body["filter"] = map[string]any{"and": filters}
	}
	if q.Cursor != "" {
		body["start_cursor"] = q.Cursor
	}
	results, next, err := c.query(ctx, sourceID, body)
	if err != nil {
		return nil, err
	}
	page := &RowPage{Rows: make([]Row, 0, len(results)), Next: next}
	for _, p := range results {
		page.Rows = append(page.Rows, p.row())
	}
	return page, nil
}

// query sends one data source query; next is the cursor of the page
// after it, or "".
func (c *Client) query(ctx context.Context, sourceID string, body map[string]any) ([]rawPage, string, error) {
	var res struct {
		Results    []rawPage `json:"results"`
		NextCursor *string   `json:"next_cursor"`
		HasMore    bool      `json:"has_more"`
	}
	if err := c.call(ctx, http.MethodPost, "data_sources/"+url.PathEscape(sourceID)+"/query", body, &res); err != nil {
		return nil, "", withObject(Classify("query data source", err), "database")
	}
	if !res.HasMore || res.NextCursor == nil {
		return res.Results, "", nil
	}
	return res.Results, *res.NextCursor, nil
}

// propertyFilter is the Notion filter for "property is value", in the
// sense a person means for the property's type.
func propertyFilter(schema []Schema, name, value string) (map[string]any, error) {
	i := slices.IndexFunc(schema, func(s Schema) bool { return s.Name == name })
	if i < 0 {
		return nil, &FilterError{fmt.Sprintf("This database has no property called “%s” any more. Choose another filter.", name)}
	}
	p := schema[i]
	value = strings.TrimSpace(value)
	cond := map[string]any{}
	switch p.Type {
	case "title", "rich_text", "url", "email", "phone_number":
		cond["contains"] = value
	case "select", "status":
		if value == "" {
			cond["is_empty"] = true
		} else {
			cond["equals"] = value
		}
	case "multi_select":
		cond["contains"] = value
	case "checkbox":
		cond["equals"] = value == "true" || strings.EqualFold(value, "yes")
	case "number":
		n, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return nil, &FilterError{fmt.Sprintf("%s holds numbers: write a number to filter by.", p.Name)}
		}
		cond["equals"] = n
	case "date":
		if !isDate(value) {
			return nil, &FilterError{fmt.Sprintf("%s holds dates: choose a date to filter by.", p.Name)}
		}
		cond["equals"] = value
	default:
		return nil, &FilterError{fmt.Sprintf("Visen cannot filter by %s. Choose another property.", p.Name)}
	}
	return map[string]any{"property": p.ID, p.Type: cond}, nil
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, r := range s {
		if i != 4 && i != 7 && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// Row fetches one row of a database (or any page) with its properties.
func (c *Client) Row(ctx context.Context, id string) (*Row, error) {
	var p rawPage
	if err := c.call(ctx, http.MethodGet, "pages/"+url.PathEscape(id), nil, &p); err != nil {
		return nil, withObject(Classify("retrieve page", err), "page")
	}
	r := p.row()
	return &r, nil
}

// CreateRow makes a page in the data source with the property values
// given in Notion's request shape.
func (c *Client) CreateRow(ctx context.Context, sourceID string, properties map[string]any) (*Row, error) {
	body := map[string]any{
		"parent":     map[string]any{"type": "data_source_id", "data_source_id": sourceID},
		"properties": properties,
	}
	var p rawPage
	if err := c.call(ctx, http.MethodPost, "pages", body, &p); err != nil {
		return nil, withObject(Classify("create page", err), "database")
	}
	r := p.row()
	return &r, nil
}

// UpdateProperties sets property values of a page, in Notion's request
// shape. Setting the same values twice changes nothing, so it is safe to
// retry.
func (c *Client) UpdateProperties(ctx context.Context, pageID string, properties map[string]any) error {
	var p rawPage
	if err := c.call(ctx, http.MethodPatch, "pages/"+url.PathEscape(pageID), map[string]any{"properties": properties}, &p); err != nil {
		return withObject(Classify("update page", err), "page")
	}
	return nil
}

// DeleteBlock moves a block to the trash; one already gone counts as
// deleted.
func (c *Client) DeleteBlock(ctx context.Context, id string) error {
	_, err := c.api.Block.Delete(ctx, notionapi.BlockID(id))
	if err == nil {
		return nil
	}
	err = Classify("delete block", err)
	var ne *Error
	if errors.As(err, &ne) && (ne.Kind == KindNotConnected || ne.Kind == KindArchived) {
		return nil
	}
	return err
}

// titleFilterUnits is the longest title a lookup by title sends whole, in
// UTF-16 units; a longer one is looked up by its start.
const titleFilterUnits = 1000

// RowsTitled lists the IDs of the data source's rows whose title is title.
// A title too long to send whole is looked up by its start, and the rows
// found are kept when their whole title matches.
func (c *Client) RowsTitled(ctx context.Context, sourceID, title string) ([]string, error) {
	cond := map[string]any{"equals": title}
	whole := limits.UTF16Len(title) <= titleFilterUnits
	if !whole {
		cond = map[string]any{"starts_with": limits.SplitUTF16(title, titleFilterUnits)[0]}
	}
	body := map[string]any{"page_size": 100, "filter": map[string]any{"property": "title", "title": cond}}
	var ids []string
	for range 10 {
		results, next, err := c.query(ctx, sourceID, body)
		if err != nil {
			return nil, err
		}
		for _, p := range results {
			if whole || p.row().Title == title {
				ids = append(ids, p.ID)
			}
		}
		if next == "" {
			break
		}
		body["start_cursor"] = next
	}
	return ids, nil
}

// MayHaveApplied reports a failed request that Notion may still have
// carried out: the answer was lost, or Notion failed after receiving it.
func MayHaveApplied(err error) bool {
	var ne *Error
	if !errors.As(err, &ne) {
		return true
	}
	switch ne.Kind {
	case KindNetwork, KindUnavailable, KindUnknown:
		return true
	}
	return false
}
