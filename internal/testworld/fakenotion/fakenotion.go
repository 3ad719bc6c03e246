// Package fakenotion is a strict, in-memory fake of the Notion API (on
// Notion-Version 2022-06-28, as notionapi speaks it, 2025-09-03, with
// data sources, and 2026-03-11 on block children) and of the www.notion.so
// pages a person sees. It answers with Notion's real shapes and error bodies,
// records every request, and can be told to fail, so Go and browser tests
// exercise the real client code against it.
package fakenotion

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Integration is a token Notion accepts: an internal integration's secret
// and the bot behind it, or, with Person set, a personal access token.
type Integration struct {
	Secret    string `json:"secret"`
	Name      string `json:"name"`
	Workspace string `json:"workspace"`
	// Person makes the token a personal access token, acting as the person
	// called Name: it reaches every page and database of the workspace but
	// another person's private ones, with no connection needed.
	Person bool   `json:"person,omitempty"`
	Email  string `json:"email,omitempty"`
	// NoRead withholds the read-content capability, NoInsert the
	// insert-content one.
	NoRead   bool `json:"noRead,omitempty"`
	NoInsert bool `json:"noInsert,omitempty"`
}

// Page is a page in the workspace.
type Page struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Emoji or, when it is empty, IconURL is the page's icon.
	Emoji   string `json:"emoji,omitempty"`
	IconURL string `json:"iconUrl,omitempty"`
	// Parent is the page or database holding the page; empty means the
	// workspace.
	Parent   string `json:"parent,omitempty"`
	Archived bool   `json:"archived,omitempty"`
	// Connected names the integrations the page is shared with; as in
	// Notion, sharing a page or database also shares what it holds.
	Connected []string `json:"connected"`
	// Private names the person whose private page this is: no one else's
	// personal token can open it, or what it holds.
	Private string `json:"private,omitempty"`
	// Properties are a database row's values by property name (or ID),
	// each as Notion's page property value without its id and type
	// ({"select": {"name": "Draft"}}, {"number": 3}) or as the value alone
	// ({"name": "Draft"}). Title is the title property's value; a title
	// given here names a page whose Title is empty. A row's database must
	// be in the same seed or added before it.
	Properties map[string]any `json:"properties,omitempty"`

	// order keeps rows in the order they were made; createdAt and
	// editedAt are the page's times, the seed's fixed time when zero.
	order               int
	createdAt, editedAt time.Time
	// cover is the page's cover as the API shows it, or nil.
	cover any
}

// Database is a database in the workspace.
type Database struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Emoji     string   `json:"emoji,omitempty"`
	IconURL   string   `json:"iconUrl,omitempty"`
	Parent    string   `json:"parent,omitempty"`
	Archived  bool     `json:"archived,omitempty"`
	Connected []string `json:"connected"`
	Private   string   `json:"private,omitempty"`
	// Properties is the schema, in order. A database has one title
	// property: without one here, one called "Name" comes first. Pages
	// whose Parent is the database are its rows.
	Properties []Property `json:"properties,omitempty"`
	// DataSources, when given, are the database's data sources, each with
	// its own schema and rows, and Properties is unused. Without them the
	// database has one data source: its own schema and rows.
	DataSources []DataSource `json:"dataSources,omitempty"`

	// sourceOf is set on the record kept for one of a database's data
	// sources: the database it belongs to.
	sourceOf string
}

// Seed is a whole workspace to start from.
type Seed struct {
	Integrations []Integration `json:"integrations"`
	Pages        []Page        `json:"pages"`
	Databases    []Database    `json:"databases"`
	// Blocks holds each parent's children as Notion block objects.
	Blocks map[string][]map[string]any `json:"blocks,omitempty"`
}

// Request is one request as the fake received it.
type Request struct {
	Time   time.Time           `json:"time"`
	Method string              `json:"method"`
	Host   string              `json:"host"`
	Path   string              `json:"path"`
	Query  string              `json:"query,omitempty"`
	Header map[string][]string `json:"header"`
	Body   string              `json:"body,omitempty"`
}

// Fault makes matching requests fail instead of being served.
type Fault struct {
	// Method and PathPrefix select requests; empty matches any. An ID in
	// PathPrefix matches the same ID in the path whether either is dashed
	// or bare: "/v1/pages/<id>" fails that page only, while "/v1/pages"
	// also fails every page's.
	Method     string `json:"method,omitempty"`
	PathPrefix string `json:"pathPrefix,omitempty"`
	// Times is how many matching requests fail; 0 means one.
	Times int `json:"times,omitempty"`
	// Status answers with this status and Notion's matching error body;
	// Code and Message, when set, replace the body's code and message.
	Status  int    `json:"status,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// RetryAfter is sent with 429 and 529, in seconds.
	RetryAfter int `json:"retryAfter,omitempty"`
	// RateLimitReason is sent with a 429 as additional_data.rate_limit_reason.
	RateLimitReason string `json:"rateLimitReason,omitempty"`
	// Delay holds the answer back this long, in milliseconds.
	DelayMS int `json:"delayMs,omitempty"`
	// Reset closes the connection with no answer; AfterApply does so only
	// after the request has taken effect. With Status instead, AfterApply
	// applies the request and then answers with the error, as when a
	// gateway gives up on a request that Notion still finishes.
	Reset      bool `json:"reset,omitempty"`
	AfterApply bool `json:"afterApply,omitempty"`
	// ApplyAfterMS, with AfterApply, applies the request this long after
	// the answer: a request that reads the target sooner does not see it.
	ApplyAfterMS int `json:"applyAfterMs,omitempty"`
}

// delayed is a request applied after its answer was sent.
type delayed struct {
	at    time.Time
	apply func()
}

// Server is the fake. Its zero value is not usable; call New.
type Server struct {
	mu           sync.Mutex
	integrations []Integration
	pages        map[string]*Page
	dbs          map[string]*Database
	blocks       map[string][]map[string]any
	requests     []Request
	faults       []Fault
	// pending are requests answered but not yet applied, in order;
	// applying is held while they are applied.
	pending  []delayed
	applying sync.Mutex
	rate     *rate
	seq      int
	// refuse holds the block types the workspace refuses.
	refuse map[string]bool
	// trashed holds blocks moved to the trash, by ID, to be restored.
	trashed map[string]trashedBlock
	// markdownLimit is how many blocks a markdown answer renders before
	// leaving the rest out; zero is DefaultMarkdownLimit.
	markdownLimit int
}

// New makes a fake holding a copy of seed.
func New(seed Seed) *Server {
	s := &Server{}
	s.Reset(seed)
	return s
}

// Reset empties the fake and loads seed again, forgetting requests and faults.
func (s *Server) Reset(seed Seed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.integrations = nil
	s.pages = map[string]*Page{}
	s.dbs = map[string]*Database{}
	s.blocks = map[string][]map[string]any{}
	s.trashed = map[string]trashedBlock{}
	s.requests = nil
	s.faults = nil
	s.pending = nil
	s.refuse = nil
	s.rate = nil
	s.markdownLimit = 0
	s.add(seed)
}

// Revoke makes Notion refuse a token from now on, as when its person or
// the integration's owner revokes it.
func (s *Server) Revoke(secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.integrations = slices.DeleteFunc(s.integrations, func(in Integration) bool { return in.Secret == secret })
}

// Add puts more integrations, pages, databases and blocks into the
// workspace, replacing objects with the same ID and appending blocks to
// the children their parents already have.
func (s *Server) Add(seed Seed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.add(seed)
}

func (s *Server) add(seed Seed) {
	s.integrations = append(s.integrations, seed.Integrations...)
	for _, d := range seed.Databases {
		d.ID, d.Parent = Dashed(d.ID), Dashed(d.Parent)
		d.Connected = slices.Clone(d.Connected)
		d.Properties = cloneSchema(d.Properties)
		d.DataSources = slices.Clone(d.DataSources)
		s.addSources(&d)
		s.dbs[d.ID] = &d
	}
	for _, p := range seed.Pages {
		p.ID, p.Parent = Dashed(p.ID), Dashed(p.Parent)
		p.Connected = slices.Clone(p.Connected)
		s.seq++
		p.order = s.seq
		storeSeedValues(&p, s.dbs[p.Parent])
		s.pages[p.ID] = &p
	}
	for parent, children := range seed.Blocks {
		for _, b := range children {
			s.blocks[Dashed(parent)] = append(s.blocks[Dashed(parent)], s.storeBlock(Dashed(parent), b))
		}
	}
}

// cloneSchema copies a schema down to the options, as a request may add
// options to it and the same seed is loaded again on Reset.
func cloneSchema(in []Property) []Property {
	props := make([]Property, len(in))
	for i, p := range in {
		p.Options = slices.Clone(p.Options)
		p.RelationTo = Dashed(p.RelationTo)
		props[i] = p
	}
	return props
}

// Requests returns a copy of every request received since the last Reset.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Fail queues a fault.
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, f)
}

// Children returns the blocks under a page or block, in order, with their
// own children nested under "children".
func (s *Server) Children(parent string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tree(Dashed(parent))
}

func (s *Server) tree(parent string) []map[string]any {
	out := make([]map[string]any, 0, len(s.blocks[parent]))
	for _, b := range s.blocks[parent] {
		c := map[string]any{}
		for k, v := range b {
			c[k] = v
		}
		if kids := s.tree(b["id"].(string)); len(kids) > 0 {
			c["children"] = kids
		}
		out = append(out, c)
	}
	return out
}

func (s *Server) record(r *http.Request) []byte {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Time: time.Now(), Method: r.Method, Host: r.Host, Path: r.URL.Path, Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: string(body),
	})
	return body
}

// takeFault returns the first fault matching r, using it up.
func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == r.Method) && pathHasPrefix(r.URL.Path, f.PathPrefix) {
			s.faults[i].Times--
			if s.faults[i].Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f, true
		}
	}
	return Fault{}, false
}

// pathHasPrefix reports whether a request path starts with a fault's
// prefix, reading an ID in either as the same ID whether it is dashed or
// bare, upper or lower case: clients write IDs in paths either way.
func pathHasPrefix(path, prefix string) bool {
	return strings.HasPrefix(path, prefix) || strings.HasPrefix(dashedPath(path), dashedPath(prefix))
}

// dashedPath writes every ID segment of a path dashed.
func dashedPath(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		parts[i] = Dashed(p)
	}
	return strings.Join(parts, "/")
}

// Dashed writes a Notion ID in its dashed, lower-case form; anything that is
// not an ID comes back unchanged.
func Dashed(id string) string {
	bare := strings.ToLower(strings.ReplaceAll(id, "-", ""))
	if len(bare) != 32 {
		return id
	}
	if _, err := hex.DecodeString(bare); err != nil {
		return id
	}
	return bare[0:8] + "-" + bare[8:12] + "-" + bare[12:16] + "-" + bare[16:20] + "-" + bare[20:]
}

// NewID makes a random Notion ID, dashed.
func NewID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return Dashed(hex.EncodeToString(b))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// apiError answers with Notion's error body.
func apiError(w http.ResponseWriter, status int, code, format string, args ...any) {
	writeJSON(w, status, errorBody(status, code, fmt.Sprintf(format, args...)))
}

// errorBody is Notion's error body.
func errorBody(status int, code, message string) map[string]any {
	return map[string]any{"object": "error", "status": status, "code": code, "message": message, "request_id": NewID()}
}

// faultCodes are Notion's codes for the statuses a fault can answer with.
var faultCodes = map[int]string{
	400: "validation_error", 401: "unauthorized", 403: "restricted_resource", 404: "object_not_found",
	409: "conflict_error", 429: "rate_limited", 500: "internal_server_error", 502: "bad_gateway",
	503: "service_unavailable", 504: "gateway_timeout", 529: "service_overload",
}
