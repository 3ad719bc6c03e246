//go:build !js

package fill

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/rowtemplate"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
	"github.com/visen/visen/internal/writer"
)

// answerWords is the model's answer in the benchmark: 250 words in a few
// paragraphs and a list, as a row's body text would be.
func answerWords() string {
	var b strings.Builder
	b.WriteString("About {{prompt}}\n\n")
	for i := range 250 {
		switch {
		case i > 0 && i%60 == 0:
			b.WriteString("\n\n")
		case i > 200 && i%10 == 0:
			b.WriteString("\n- ")
		case i > 0:
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "word%d", i)
	}
	b.WriteString("\n")
	return b.String()
}

// The fake model's pace: 80 tokens/s after 300 ms, so an answer takes
// 0.3 + 250/80 seconds.
const (
	tokensPerSecond = 80
	firstTokenMs    = 300
	answerSeconds   = 0.3 + 250.0/tokensPerSecond
)

// BenchmarkFillRows fills rows into their page bodies at 1, 4, 8 and 16
// rows at once, with a model at a real pace and Notion at its real rate
// limit. It reports rows per minute, Notion requests per row, and the
// bound: the rows a minute the model allows at that concurrency, or
// Notion's ceiling (3 requests a second at one look and one write a row
// plus a query for every hundred rows), whichever is lower.
func BenchmarkFillRows(b *testing.B) {
	for _, tc := range []struct{ concurrency, rows int }{{1, 6}, {4, 16}, {8, 40}, {16, 96}} {
		b.Run(fmt.Sprintf("concurrency=%d", tc.concurrency), func(b *testing.B) {
			r, run := benchWorld(b, tc.rows)
			r.Concurrency = tc.concurrency
			var elapsed time.Duration
			for b.Loop() {
				fresh := &Run{Rows: append([]Row(nil), run.Rows...)}
				start := time.Now()
				if err := r.Run(context.Background(), fresh); err != nil {
					b.Fatal(err)
				}
				elapsed = time.Since(start)
				run.Requests = fresh.Requests
				for _, row := range fresh.Rows {
					if row.Status != Written {
						b.Fatalf("row %s: %s %s", row.Title, row.Status, row.Message)
					}
				}
			}
			// Each row costs one look at its page (so that a read-back never
			// takes the row's own blocks for Visen's) and one write, plus a
			// share of the query that reads a hundred rows' values.
			perRow := 2 + math.Ceil(float64(tc.rows)/100)/float64(tc.rows)
			ceiling := limits.RequestsPerSecond * 60 / (2 + 1.0/100)
			b.ReportMetric(float64(tc.rows)/elapsed.Minutes(), "rows/min")
			b.ReportMetric(float64(run.Requests)/float64(tc.rows), "requests/row")
			b.ReportMetric(perRow, "lower-bound-requests/row")
			b.ReportMetric(math.Min(ceiling, float64(tc.concurrency)/answerSeconds*60), "bound-rows/min")
			b.ReportMetric(ceiling, "ceiling-rows/min")
		})
	}
}

// benchWorld is a database of rows, a paced model and Notion at its real
// rate limit.
func benchWorld(b *testing.B, rows int) (*Runner, *Run) {
	var pages []fakenotion.Page
	run := &Run{}
	for i := range rows {
		id := fakenotion.RowID(i + 1)
		pages = append(pages, fakenotion.Page{ID: id, Title: fmt.Sprintf("Row %d", i), Parent: dbID,
			Properties: map[string]any{"Topic": text(fmt.Sprintf("topic %d", i))}})
		run.Rows = append(run.Rows, Row{ID: id, Title: fmt.Sprintf("Row %d", i), Status: Waiting})
	}
	tw := testworld.New(b,
		testworld.WithNotion(fakenotion.Seed{
			Integrations: []fakenotion.Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}},
			Databases: []fakenotion.Database{{ID: dbID, Title: "Calendar", Connected: []string{"Bot"}, Properties: []fakenotion.Property{
				{Name: "Name", Type: "title"}, {Name: "Topic", Type: "rich_text"},
			}}},
			Pages: pages,
		}),
		testworld.WithAI(fakeai.Config{Keys: []string{key}, Models: []string{"m"}, Answer: answerWords(),
			TokensPerSecond: tokensPerSecond, FirstTokenMillis: firstTokenMs}),
		testworld.Streaming(),
	)
	hc := tw.NotionHTTP(notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))
	nc := notion.New(hc, secret)
	db, err := nc.Lookup(context.Background(), notionTarget(), "")
	if err != nil {
		b.Fatal(err)
	}
	tp, err := rowtemplate.Parse("Write about {{Topic}}.", db.Properties)
	if err != nil {
		b.Fatal(err)
	}
	return &Runner{
		Notion: nc, Writer: writer.New(hc, secret, nil),
		AI:      ai.New(tw.HTTP(), testworld.ModelURL, key),
		Request: ai.Request{Model: "m"}, DataSourceID: db.DataSourceID, Schema: db.Properties, Template: tp,
	}, run
}
