package writer

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/testworld"
)

// BenchmarkRequests reports, per test document, the requests the planner
// sends and those a naive writer would.
func BenchmarkRequests(b *testing.B) {
	for _, name := range documents {
		b.Run(name, func(b *testing.B) {
			blocks := doc(&testing.T{}, name)
			var p *Plan
			for b.Loop() {
				p, _ = NewPlan(blocks)
			}
			b.ReportMetric(float64(len(p.Requests)), "requests")
			b.ReportMetric(float64(naiveRequests(p)), "naive-requests")
			b.ReportMetric(float64(p.Blocks), "blocks")
		})
	}
}

// BenchmarkWrite1000Blocks writes a 1000-block document through the fake at
// Notion's real rate limit.
func BenchmarkWrite1000Blocks(b *testing.B) {
	var md strings.Builder
	for i := 0; md.Len() == 0 || len(md2notion.Convert([]byte(md.String()))) < 1000; i++ {
		fmt.Fprintf(&md, "## Section %d\n\nA paragraph with **bold** text.\n\n- one\n- two\n  - nested\n\n", i)
	}
	blocks := md2notion.Convert([]byte(md.String()))
	p, err := NewPlan(blocks)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		fake := newFake()
		hc := testworld.NotionHTTP(fake.API(), notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))
		var state State
		if err := New(hc, secret, nil).Write(context.Background(), p, Place{ParentID: pageID}, &state); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.Blocks), "blocks")
	b.ReportMetric(float64(len(p.Requests)), "requests")
}

// BenchmarkFirstBlockOnALongPage times, at Notion's real rate limit, how
// long a job takes to put its first block on a page of 1000 blocks: at the
// end it first reads the whole page for its last block; at the top, and
// after a block (the cursor's, or a selection's last), one page of
// children.
func BenchmarkFirstBlockOnALongPage(b *testing.B) {
	existing := make([]string, 1000)
	for i := range existing {
		existing[i] = fmt.Sprintf("Line %d.", i)
	}
	plan := &Plan{Blocks: 1, Requests: []Request{{Children: []map[string]any{paragraph("Summary.")}, Blocks: 1}}}
	for _, at := range []string{"end", "top", "cursor"} {
		b.Run(at, func(b *testing.B) {
			var requests int
			for b.Loop() {
				fake := newFake(existing...)
				hc := testworld.NotionHTTP(fake.API(), notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))
				ctx := context.Background()
				w := New(hc, secret, nil)
				// The burst left from building the page is spent first, as
				// on a page the person has just been editing.
				for range limits.RequestBurst {
					if _, err := w.FirstChild(ctx, pageID); err != nil {
						b.Fatal(err)
					}
				}
				start := len(fake.Requests())
				target := Place{ParentID: pageID, Anchored: true}
				var err error
				switch at {
				case "top":
					target.Start = true
					target.Before, err = w.FirstChild(ctx, pageID)
				case "cursor":
					// After the block a cursor is in, near the top: the
					// writer reads where that block is followed.
					target = Place{ParentID: pageID, After: fake.Children(pageID)[10]["id"].(string)}
				default:
					target.After, _, err = w.LastChild(ctx, pageID)
				}
				if err != nil {
					b.Fatal(err)
				}
				var state State
				if err := w.Write(ctx, plan, target, &state); err != nil {
					b.Fatal(err)
				}
				requests = len(fake.Requests()) - start
			}
			b.ReportMetric(float64(requests), "requests")
		})
	}
}
