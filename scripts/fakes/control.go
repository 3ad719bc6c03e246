package main

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

// control is the plain-HTTP API the tests drive the fakes with. Bodies are
// JSON, and unknown fields are refused so a misspelt setting fails loudly.
//
//	GET  /                  a page that is not Notion, for a non-Notion tab
//	GET  /start             the demo's start page: its steps, secret and key (demo seed only)
//	GET  /seed              the loaded seed's secrets, keys, models and objects
//	POST /reset             back to the seed; forgets requests, answers and faults
//	GET  /requests          {"notion":[…],"ai":[…],"web":[…]}: every request
//	                        with time, method, host, path, query, headers and body
//	POST /notion/seed       {"pages":[{"id":…,"title":…,"connected":["Visen Test Integration"]}],
//	                        "databases":[…],"integrations":[…],"blocks":{"<parent id>":[…]}}
//	POST /notion/revoke     {"secret":"ntn_…"}: Notion refuses that token from now on
//	POST /notion/fault      {"method":"PATCH","pathPrefix":"/v1/blocks/","status":429,"retryAfter":1,"times":2}
//	                        or {"reset":true,"afterApply":true} or {"delayMs":3000}, or
//	                        {"status":504,"afterApply":true}: applied, then answered with the
//	                        error ("applyAfterMs":500 applies it that long after the answer)
//	POST /notion/refuse     {"types":["heading_4"]}: the workspace refuses those block
//	                        types until reset; [] accepts every type again
//	GET  /notion/children?id=<page or block id>   the blocks under it, nested
//	GET  /notion/page?id=<page id>                the page as the API shows it
//	POST /ai/config         {"keys":["sk-…"],"allowNoKey":true,"models":[…],"answer":"…","tokensPerSecond":20};
//	                        fields left out keep their value
//	POST /ai/answer         {"text":"# Next answer"}: queued for the next chat completion
//	POST /ai/recording      {"sse":"data: …"}: the next streamed chat completion sends
//	                        these bytes exactly, a provider's recorded stream
//	POST /ai/pace           {"tokensPerSecond":25}: how fast answers stream; 0 at once
//	POST /ai/fault          {"kind":"rate_limited","path":"/chat/completions","times":1}
//	                        or {"kind":"disconnect","afterTokens":5}
func (f *fakes) control() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>Not Notion</title><p>This page is not on Notion.</p>")
	})
	mux.HandleFunc("GET /start", f.serveStart)
	mux.HandleFunc("GET /seed", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, http.StatusOK, seedInfo(f.seedName))
	})
	mux.HandleFunc("POST /reset", func(w http.ResponseWriter, _ *http.Request) {
		ns, ac := f.seed()
		f.notion.Reset(ns)
		f.ai.Reset(ac)
		f.mu.Lock()
		f.web = nil
		f.mu.Unlock()
		ok(w)
	})
	mux.HandleFunc("GET /requests", func(w http.ResponseWriter, _ *http.Request) {
		f.mu.Lock()
		web := append([]fakenotion.Request{}, f.web...)
		f.mu.Unlock()
		reply(w, http.StatusOK, map[string]any{"notion": orEmpty(f.notion.Requests()), "ai": orEmpty(f.ai.Requests()), "web": web})
	})
	mux.HandleFunc("POST /notion/seed", func(w http.ResponseWriter, r *http.Request) {
		var seed fakenotion.Seed
		if decode(w, r, &seed) {
			f.notion.Add(seed)
			ok(w)
		}
	})
	mux.HandleFunc("POST /notion/revoke", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Secret string `json:"secret"`
		}
		if decode(w, r, &body) {
			f.notion.Revoke(body.Secret)
			ok(w)
		}
	})
	mux.HandleFunc("POST /notion/fault", func(w http.ResponseWriter, r *http.Request) {
		var fault fakenotion.Fault
		if decode(w, r, &fault) {
			f.notion.Fail(fault)
			ok(w)
		}
	})
	mux.HandleFunc("POST /notion/refuse", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Types []string `json:"types"`
		}
		if decode(w, r, &body) {
			f.notion.Refuse(body.Types...)
			ok(w)
		}
	})
	mux.HandleFunc("GET /notion/children", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, f.notion.Children(r.URL.Query().Get("id")))
	})
	mux.HandleFunc("GET /notion/page", func(w http.ResponseWriter, r *http.Request) {
		page, found := f.notion.Page(r.URL.Query().Get("id"))
		if !found {
			reply(w, http.StatusNotFound, map[string]string{"error": "no such page"})
			return
		}
		reply(w, http.StatusOK, page)
	})
	mux.HandleFunc("POST /ai/config", func(w http.ResponseWriter, r *http.Request) {
		cfg := f.ai.Config()
		if decode(w, r, &cfg) {
			f.ai.Configure(cfg)
			ok(w)
		}
	})
	mux.HandleFunc("POST /ai/answer", func(w http.ResponseWriter, r *http.Request) {
		var a struct {
			Text string `json:"text"`
		}
		if decode(w, r, &a) {
			f.ai.QueueAnswer(a.Text)
			ok(w)
		}
	})
	mux.HandleFunc("POST /ai/recording", func(w http.ResponseWriter, r *http.Request) {
		var rec struct {
			SSE string `json:"sse"`
		}
		if !decode(w, r, &rec) {
			return
		}
		if rec.SSE == "" {
			reply(w, http.StatusBadRequest, map[string]string{"error": "sse is empty"})
			return
		}
		f.ai.QueueRecording([]byte(rec.SSE))
		ok(w)
	})
	mux.HandleFunc("POST /ai/pace", func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			TokensPerSecond int `json:"tokensPerSecond"`
		}
		if decode(w, r, &p) {
			f.ai.SetPace(p.TokensPerSecond)
			ok(w)
		}
	})
	mux.HandleFunc("POST /ai/fault", func(w http.ResponseWriter, r *http.Request) {
		var fault fakeai.Fault
		if !decode(w, r, &fault) {
			return
		}
		if err := f.ai.Fail(fault); err != nil {
			reply(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		ok(w)
	})
	return mux
}

// orEmpty makes a list with nothing in it a JSON [] rather than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		reply(w, http.StatusBadRequest, map[string]string{"error": "bad JSON: " + err.Error()})
		return false
	}
	return true
}

func ok(w http.ResponseWriter) {
	reply(w, http.StatusOK, map[string]bool{"ok": true})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
