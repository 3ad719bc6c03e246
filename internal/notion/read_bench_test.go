package notion_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/visen/visen/internal/limits"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testcert"
)

// roundTrip is about what one request to Notion takes from a browser.
const roundTrip = 150 * time.Millisecond

// benchPage is a 1,000-block page three levels deep, shaped like a long
// document: 250 top-level blocks, 50 of them lists of 10 items, 25 of
// those items with 10 children of their own.
func benchPage() []map[string]any {
	var top []map[string]any
	for i := range 250 {
		if i%5 != 0 {
			top = append(top, para(fmt.Sprintf("paragraph %d", i)))
			continue
		}
		var items []map[string]any
		for j := range 10 {
			if i%10 == 0 && j == 0 {
				items = append(items, para(fmt.Sprintf("item %d.%d", i, j), flat(10)...))
				continue
			}
			items = append(items, para(fmt.Sprintf("item %d.%d", i, j)))
		}
		top = append(top, para(fmt.Sprintf("list %d", i), items...))
	}
	return top
}

// BenchmarkReadPage reads a 1,000-block page with three levels of nesting
// through the fake at Notion's real rate limit, each answer taking a
// browser's round trip, and reports the requests against the lower bound.
func BenchmarkReadPage(b *testing.B) {
	fake, _ := readWorld(b, benchPage())
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(roundTrip)
		fake.API().ServeHTTP(w, r)
	})
	hc := &http.Client{Transport: notion.NewTransport(testcert.InProcess{Handler: slow},
		notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))}
	c := notion.New(hc, readSecret)
	var got *notion.PageRead
	var elapsed time.Duration
	for b.Loop() {
		start := time.Now()
		var err error
		if got, err = c.ReadPage(context.Background(), readPage); err != nil {
			b.Fatal(err)
		}
		elapsed = time.Since(start)
	}
	b.ReportMetric(float64(got.Count), "blocks")
	b.ReportMetric(float64(got.Requests), "requests")
	b.ReportMetric(float64(got.LowerBound), "lower-bound")
	b.ReportMetric(elapsed.Seconds(), "s/read")
	b.ReportMetric(float64(got.LowerBound)/limits.RequestsPerSecond, "s-at-lower-bound")
}
