package writer

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/visen/visen/internal/limits"
	"github.com/visen/visen/internal/mdnotion"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testcert"
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
	for i := 0; md.Len() == 0 || len(mdnotion.Convert([]byte(md.String()))) < 1000; i++ {
		fmt.Fprintf(&md, "## Section %d\n\nA paragraph with **bold** text.\n\n- one\n- two\n  - nested\n\n", i)
	}
	blocks := mdnotion.Convert([]byte(md.String()))
	p, err := NewPlan(blocks)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		fake := newFake()
		hc := &http.Client{Transport: notion.NewTransport(testcert.InProcess{Handler: fake.API()},
			notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))}
		var state State
		if err := New(hc, secret, nil).Write(context.Background(), p, Target{ParentID: pageID}, &state); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.Blocks), "blocks")
	b.ReportMetric(float64(len(p.Requests)), "requests")
}
