//go:build !js

package fill

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/fakeai"
	"github.com/visen/visen/internal/fakenotion"
	"github.com/visen/visen/internal/limits"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/rowtemplate"
	"github.com/visen/visen/internal/testcert"
	"github.com/visen/visen/internal/writer"
)

// BenchmarkFillRows runs a template over 60 rows at Notion's real rate
// limit with a model that answers at once, into the page bodies and into a
// text property. It reports rows per minute, Notion requests per row, and
// the lower bound this flow needs per row: one write (into a page body,
// after one look at the page, so that a read-back never takes the row's own
// blocks for Visen's), plus a share of the query that reads a hundred rows'
// values at a time.
func BenchmarkFillRows(b *testing.B) {
	const rows = 60
	for _, out := range []Output{{}, {Property: "Summary"}} {
		name := "body"
		if out.Property != "" {
			name = "property"
		}
		b.Run(name, func(b *testing.B) {
			var pages []fakenotion.Page
			run := &Run{}
			for i := range rows {
				id := rowID(i + 1)
				pages = append(pages, fakenotion.Page{ID: id, Title: fmt.Sprintf("Row %d", i), Parent: dbID,
					Properties: map[string]any{"Topic": text(fmt.Sprintf("topic %d", i))}})
				run.Rows = append(run.Rows, Row{ID: id, Title: fmt.Sprintf("Row %d", i), Status: Waiting})
			}
			fn := fakenotion.New(fakenotion.Seed{
				Integrations: []fakenotion.Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}},
				Databases: []fakenotion.Database{{ID: dbID, Title: "Calendar", Connected: []string{"Bot"}, Properties: []fakenotion.Property{
					{Name: "Name", Type: "title"}, {Name: "Topic", Type: "rich_text"}, {Name: "Summary", Type: "rich_text"},
				}}},
				Pages: pages,
			})
			fa := fakeai.New(fakeai.Config{Keys: []string{key}, Models: []string{"m"}, Answer: "A short answer about {{prompt}}\n\n- with\n- a list"})
			cert, err := testcert.New()
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewUnstartedServer(fa)
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
			srv.StartTLS()
			defer srv.Close()
			// Notion's real rate: three requests a second, with its burst.
			hc := &http.Client{Transport: notion.NewTransport(testcert.InProcess{Handler: fn.API()},
				notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))}
			nc := notion.New(hc, secret)
			db, err := nc.Lookup(context.Background(), notionTarget())
			if err != nil {
				b.Fatal(err)
			}
			tp, err := rowtemplate.Parse("Write about {{Topic}}.", db.Properties)
			if err != nil {
				b.Fatal(err)
			}
			r := &Runner{
				Notion: nc, Writer: writer.New(hc, secret, nil),
				AI:      ai.New(testcert.MappedClient(srv.Listener.Addr().String(), cert), "https://api.openai.com/v1", key),
				Request: ai.Request{Model: "m"}, DatabaseID: dbID, Schema: db.Properties, Template: tp, Output: out,
			}
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
			b.ReportMetric(float64(rows)/elapsed.Minutes(), "rows/min")
			b.ReportMetric(float64(run.Requests)/rows, "requests/row")
			bound := 1 + 1.0/100
			if out.Property == "" {
				bound++
			}
			b.ReportMetric(bound, "lower-bound-requests/row")
			b.ReportMetric(float64(limits.RequestsPerSecond*60)/bound, "rows/min-at-lower-bound")
		})
	}
}
