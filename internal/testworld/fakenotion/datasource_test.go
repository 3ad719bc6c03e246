package fakenotion

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	libID      = "a1000000-0000-4000-8000-000000000001"
	booksID    = "b1000000-0000-4000-8000-000000000001"
	papersID   = "b1000000-0000-4000-8000-000000000002"
	papersView = "b1000000-0000-4000-8000-0000000000f2"
)

// sources is the test seed with a database of two data sources.
func sources() Seed {
	s := seed()
	s.Databases = append(s.Databases, Database{ID: libID, Title: "Library", Connected: []string{"Bot"}, DataSources: []DataSource{
		{ID: booksID, Name: "Books", Properties: []Property{{Name: "Title", Type: "title"}}},
		{ID: papersID, Name: "Papers", Views: []string{papersView}, Properties: []Property{{Name: "Title", Type: "title"}, {Name: "Venue", Type: "rich_text"}}},
	}})
	s.Pages = append(s.Pages, Page{ID: "c1000000-0000-4000-8000-000000000001", Title: "Dune", Parent: booksID})
	return s
}

// doVersion is do on a given Notion-Version.
func doVersion(t *testing.T, s *Server, version, method, path, body string) (int, map[string]any) {
	t.Helper()
	return doOn(t, s.API(), version, method, path, secret, body)
}

func TestBothVersionsStrictly(t *testing.T) {
	const multi = "Databases with multiple data sources are not supported in this API version."
	single := singleSourceID(dbID)
	tests := []struct {
		name, version, method, path, body string
		wantStatus                        int
		wantCode, wantMessage             string
	}{
		{name: "2022: a two-source database cannot be read", version: Version20220628, method: "GET", path: "/v1/databases/" + libID, wantStatus: 400, wantCode: "validation_error", wantMessage: multi},
		{name: "2022: nor queried", version: Version20220628, method: "POST", path: "/v1/databases/" + libID + "/query", body: `{}`, wantStatus: 400, wantCode: "validation_error", wantMessage: multi},
		{name: "2022: nor given a page", version: Version20220628, method: "POST", path: "/v1/pages", body: `{"parent":{"database_id":"` + libID + `"},"properties":{}}`, wantStatus: 400, wantCode: "validation_error", wantMessage: multi},
		{name: "2022: a one-source database works", version: Version20220628, method: "POST", path: "/v1/databases/" + dbID + "/query", body: `{}`, wantStatus: 200},
		{name: "2022: no data sources", version: Version20220628, method: "GET", path: "/v1/data_sources/" + booksID, wantStatus: 400, wantCode: "invalid_request_url"},
		{name: "2022: no data source parent", version: Version20220628, method: "POST", path: "/v1/pages", body: `{"parent":{"data_source_id":"` + booksID + `"},"properties":{}}`, wantStatus: 400, wantCode: "validation_error", wantMessage: "body.parent.data_source_id should be not present"},
		{name: "2025: no database query", version: Version20250903, method: "POST", path: "/v1/databases/" + dbID + "/query", body: `{}`, wantStatus: 400, wantCode: "invalid_request_url"},
		{name: "2025: a one-source database has its source", version: Version20250903, method: "POST", path: "/v1/data_sources/" + single + "/query", body: `{}`, wantStatus: 200},
		{name: "2025: a data source is not a database", version: Version20250903, method: "GET", path: "/v1/databases/" + booksID, wantStatus: 404, wantCode: "object_not_found"},
		{name: "2025: a two-source database needs a data source parent", version: Version20250903, method: "POST", path: "/v1/pages", body: `{"parent":{"database_id":"` + libID + `"},"properties":{}}`, wantStatus: 400, wantCode: "validation_error", wantMessage: "data_source_id"},
		{name: "2025: an unknown view", version: Version20250903, method: "GET", path: "/v1/views/" + pageID, wantStatus: 404, wantCode: "object_not_found"},
		{name: "a version Notion does not have", version: "2024-01-01", method: "GET", path: "/v1/users/me", wantStatus: 400, wantCode: "validation_error", wantMessage: "Notion-Version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := doVersion(t, New(sources()), tt.version, tt.method, tt.path, tt.body)
			assert.Equal(t, tt.wantStatus, status, body)
			if tt.wantCode != "" {
				assert.Equal(t, tt.wantCode, body["code"])
				assert.Contains(t, body["message"], tt.wantMessage)
			}
		})
	}
}

func TestDataSourcesOn20250903(t *testing.T) {
	s := New(sources())
	status, db := doVersion(t, s, Version20250903, "GET", "/v1/databases/"+libID, "")
	require.Equal(t, 200, status, db)
	assert.Equal(t, []any{map[string]any{"id": booksID, "name": "Books"}, map[string]any{"id": papersID, "name": "Papers"}}, db["data_sources"])
	assert.NotContains(t, db, "properties", "the schema lives on the data sources")

	status, ds := doVersion(t, s, Version20250903, "GET", "/v1/data_sources/"+papersID, "")
	require.Equal(t, 200, status, ds)
	assert.Equal(t, "data_source", ds["object"])
	assert.Contains(t, ds["properties"], "Venue")
	assert.Equal(t, map[string]any{"type": "database_id", "database_id": libID}, ds["parent"])

	status, view := doVersion(t, s, Version20250903, "GET", "/v1/views/"+papersView, "")
	require.Equal(t, 200, status, view)
	assert.Equal(t, papersID, view["data_source_id"])

	status, made := doVersion(t, s, Version20250903, "POST", "/v1/pages", `{"parent":{"type":"data_source_id","data_source_id":"`+papersID+`"},"properties":{"Title":{"title":[{"text":{"content":"Attention"}}]}}}`)
	require.Equal(t, 200, status, made)
	status, rows := doVersion(t, s, Version20250903, "POST", "/v1/data_sources/"+papersID+"/query", `{}`)
	require.Equal(t, 200, status, rows)
	require.Len(t, rows["results"], 1)
	assert.Equal(t, made["id"], rows["results"].([]any)[0].(map[string]any)["id"])
	status, books := doVersion(t, s, Version20250903, "POST", "/v1/data_sources/"+booksID+"/query", `{}`)
	require.Equal(t, 200, status, books)
	assert.Len(t, books["results"], 1, "Books keeps its own row only")
}

func TestHeading4AcceptedOrRefusedOnDemand(t *testing.T) {
	const body = `{"children":[{"type":"paragraph","paragraph":{"rich_text":[]}},{"type":"heading_4","heading_4":{"rich_text":[{"text":{"content":"Four"}}],"is_toggleable":false}}]}`
	s := New(seed())
	status, out := doVersion(t, s, Version20250903, "PATCH", "/v1/blocks/"+pageID+"/children", body)
	require.Equal(t, 200, status, out)
	assert.Equal(t, "heading_4", s.Children(pageID)[1]["type"])

	s.Refuse("heading_4")
	status, out = doVersion(t, s, Version20250903, "PATCH", "/v1/blocks/"+pageID+"/children", body)
	assert.Equal(t, 400, status)
	assert.Equal(t, "validation_error", out["code"])
	assert.Equal(t, "body failed validation: body.children[1].type should be a supported block type, instead was `\"heading_4\"`.", out["message"])
	assert.Len(t, s.Children(pageID), 2, "nothing written")

	s.Refuse()
	status, _ = doVersion(t, s, Version20250903, "PATCH", "/v1/blocks/"+pageID+"/children", body)
	assert.Equal(t, 200, status)
}

func TestRateLimitReasonInTheBody(t *testing.T) {
	s := New(seed())
	s.Fail(Fault{Status: 429, RetryAfter: 90, RateLimitReason: "workspace_rate_limit"})
	status, out := doVersion(t, s, Version20220628, "GET", "/v1/users/me", "")
	assert.Equal(t, 429, status)
	assert.Equal(t, map[string]any{"rate_limit_reason": "workspace_rate_limit"}, out["additional_data"])
}
