package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

// benchRoundTrip is about what one request to Notion takes from a browser.
const benchRoundTrip = 150 * time.Millisecond

// summary is a summary as a model writes it: a callout of about 60 words.
const summary = "> [!NOTE]\n> **Summary**\n> The page plans the quarter: it lists the goals, the teams that own them, the risks that could slip and the dates that matter. Most items are lists of steps; the longest part is the research plan, with ten interviews and their notes.\n> - Goals and owners\n> - Risks and dates\n"

// BenchmarkSummarizeFirstBlock times Summarize on a 1,000-block page, from
// the person's click to the first block of the summary written at the end
// of the page, with Notion at its real rate (3 requests a second, a 150 ms
// round trip) and a model at a real pace: the page read whole in one
// request, and block by block as before (the way it still goes where
// Notion refuses the markdown endpoint).
func BenchmarkSummarizeFirstBlock(b *testing.B) {
	models := []struct {
		name             string
		firstTokenMillis int
		tokensPerSecond  int
	}{
		{"fast model", 300, 150},
		{"slow model", 1000, 50},
	}
	for _, read := range []string{"whole", "blocks"} {
		for _, m := range models {
			b.Run(read+"/"+m.name, func(b *testing.B) {
				var first time.Duration
				var requests int
				for b.Loop() {
					first, requests = summarizeOnce(b, read == "blocks", m.firstTokenMillis, m.tokensPerSecond)
				}
				b.ReportMetric(first.Seconds(), "s-to-first-block")
				b.ReportMetric(float64(requests), "notion-requests-before")
			})
		}
	}
}

// summarizeOnce runs one Summarize on a fresh world, as a click after the
// rate limiter has rested, and returns how long the first block took and
// the Notion requests sent before it.
func summarizeOnce(b *testing.B, refuseMarkdown bool, firstTokenMillis, tokensPerSecond int) (time.Duration, int) {
	tw := testworld.New(b,
		testworld.WithNotion(fakenotion.Seed{
			Integrations: []fakenotion.Integration{{Secret: secret, Name: bot, Workspace: workspace}},
			Pages:        []fakenotion.Page{{ID: pageID, Title: "Quarterly Plan", Connected: []string{bot}}},
			Blocks:       map[string][]map[string]any{pageID: fakenotion.LongPage()},
		}),
		testworld.WithAI(fakeai.Config{Keys: []string{aiKey}, Models: []string{"gpt-5-mini"}, Answer: summary,
			FirstTokenMillis: firstTokenMillis, TokensPerSecond: tokensPerSecond}),
		testworld.WithLatency(benchRoundTrip),
	)
	fake := tw.Notion
	if refuseMarkdown {
		fake.Fail(fakenotion.Fault{PathPrefix: "/v1/pages/" + pageID + "/markdown", Status: 400, Code: "invalid_request_url", Message: "Invalid request URL."})
	}
	e := New(tw.Transport(), notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))

	start := time.Now()
	raw := e.Call(context.Background(), "actionPrompt", mustJSON(b, map[string]any{
		"notionSecret": secret, "pageId": pageID, "model": "gpt-5-mini",
		"action": map[string]any{"kind": "summarize", "position": "end"},
	}))
	var plan struct {
		OK   bool
		Data ActionPrompt
	}
	if err := json.Unmarshal(raw, &plan); err != nil || !plan.OK {
		b.Fatalf("actionPrompt: %s", raw)
	}
	out := e.Generate(context.Background(), mustJSON(b, GenerateRequest{
		JobID:       "bench",
		Writing:     Writing{NotionSecret: secret, AIConnection: AIConnection{BaseURL: "https://api.openai.com/v1", APIKey: aiKey}, Model: "gpt-5-mini"},
		Prompt:      plan.Data.Prompt,
		PageID:      pageID,
		After:       plan.Data.After,
		ParentKnown: true,
	}), func([]byte) {})
	if !strings.Contains(string(out), `"ok":true`) && strings.Contains(string(out), `"error"`) {
		b.Fatalf("generate: %s", out)
	}
	for i, r := range fake.Requests() {
		if r.Method == "PATCH" && strings.HasSuffix(r.Path, "/children") {
			// The request is recorded as it arrives, a round trip before
			// its answer: the block is in the page once it is answered.
			return r.Time.Add(benchRoundTrip).Sub(start), i
		}
	}
	b.Fatalf("no block written in %d requests", len(fake.Requests()))
	return 0, 0
}

func mustJSON(b *testing.B, v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}
