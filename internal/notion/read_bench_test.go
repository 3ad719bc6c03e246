package notion_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

// roundTrip is about what one request to Notion takes from a browser.
const roundTrip = 150 * time.Millisecond

// slowClient is a client on the fake at Notion's real rate limit, each
// answer taking a browser's round trip.
func slowClient(fake *fakenotion.Server) *notion.Client {
	hc := testworld.NotionHTTP(testworld.Slow(fake.API(), roundTrip), notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))
	return notion.New(hc, readSecret)
}

// BenchmarkReadPage reads a 1,000-block page with three levels of nesting
// block by block through the fake at Notion's real rate limit, each answer
// taking a browser's round trip, and reports the requests against the
// lower bound.
func BenchmarkReadPage(b *testing.B) {
	fake, _ := readWorld(b, fakenotion.LongPage())
	c := slowClient(fake)
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

// BenchmarkReadWhole reads the same page whole, as Summarize does, at the
// same rate: answered whole, and cut short past a limit so that the
// subtrees left out are fetched. It reports the requests and the unknown
// subtrees Notion named, and checks that nothing was lost.
func BenchmarkReadWhole(b *testing.B) {
	for _, limit := range []int{0, 900} {
		name := "whole"
		if limit > 0 {
			name = "truncated"
		}
		b.Run(name, func(b *testing.B) {
			fake, ref := readWorld(b, fakenotion.LongPage())
			want, err := ref.ReadPage(context.Background(), readPage)
			if err != nil {
				b.Fatal(err)
			}
			fake.SetMarkdownLimit(limit)
			c := slowClient(fake)
			var got *notion.PageRead
			var elapsed time.Duration
			for b.Loop() {
				start := time.Now()
				if got, err = c.ReadWhole(context.Background(), readPage); err != nil {
					b.Fatal(err)
				}
				elapsed = time.Since(start)
			}
			if got.Count != want.Count {
				b.Fatalf("read %d blocks whole, %d block by block", got.Count, want.Count)
			}
			unknown := 0
			for _, r := range fake.Requests() {
				if strings.HasSuffix(r.Path, "/markdown") && !strings.Contains(r.Path, readPage) {
					unknown++
				}
			}
			b.ReportMetric(float64(got.Count), "blocks")
			b.ReportMetric(float64(got.Requests), "requests")
			b.ReportMetric(float64(unknown)/float64(b.N), "unknown-subtrees")
			b.ReportMetric(elapsed.Seconds(), "s/read")
		})
	}
}
