package fakenotion

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A personal access token acts as its person: it opens every page but
// another person's private ones, with no connection, and answers
// /v1/users/me with the person.
func TestPersonalToken(t *testing.T) {
	const (
		token     = "ntn_personal_token_of_ada"
		privateID = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
		insideID  = "7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e"
	)
	s := seed()
	s.Integrations = append(s.Integrations, Integration{Secret: token, Name: "Ada Lovelace", Email: "ada@example.com", Person: true})
	s.Pages = append(s.Pages,
		Page{ID: privateID, Title: "Grace's notes", Private: "Grace Hopper"},
		Page{ID: insideID, Title: "Inside", Parent: privateID},
	)
	f := New(s)
	h := f.API()

	status, me := do(t, h, "GET", "/v1/users/me", token, "")
	assert.Equal(t, 200, status)
	assert.Equal(t, "person", me["type"])
	assert.Equal(t, "Ada Lovelace", me["name"])
	assert.Equal(t, map[string]any{"email": "ada@example.com"}, me["person"])
	assert.NotContains(t, me, "bot")

	tests := []struct {
		name       string
		path       string
		token      string
		wantStatus int
	}{
		{"a page connected to no integration of hers", "/v1/pages/" + otherID, token, 200},
		{"a database", "/v1/databases/" + dbID, token, 200},
		{"another person's private page", "/v1/pages/" + privateID, token, 404},
		{"a page inside it", "/v1/pages/" + insideID, token, 404},
		{"its blocks", "/v1/blocks/" + privateID + "/children", token, 404},
		{"a page that does not exist", "/v1/pages/0a0b0c0d-0e0f-4a0b-8c0d-0e0f0a0b0c0d", token, 404},
		{"an integration still needs the connection", "/v1/pages/" + otherID, secret, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, h, "GET", tt.path, tt.token, "")
			assert.Equal(t, tt.wantStatus, status, body)
		})
	}

	f.Revoke(token)
	status, body := do(t, h, "GET", "/v1/users/me", token, "")
	assert.Equal(t, 401, status)
	assert.Equal(t, "unauthorized", body["code"])
	status, _ = do(t, h, "GET", "/v1/users/me", secret, "")
	assert.Equal(t, 200, status, "other tokens still work")
}
