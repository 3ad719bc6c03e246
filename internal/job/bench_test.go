//go:build !js

package job

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/visen/visen/internal/limits"
	"github.com/visen/visen/internal/mdnotion"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testcert"
	"github.com/visen/visen/internal/writer"
)

// article60 is a chat-style article of 60 top-level blocks.
func article60() string {
	var b strings.Builder
	for i := 0; len(mdnotion.Convert([]byte(b.String()))) < 60; i++ {
		fmt.Fprintf(&b, "## Part %d\n\nThis part explains step %d in **plain** words, with a [link](https://example.com/%d).\n\n- first point\n- second point\n\n", i, i, i)
	}
	return b.String()
}

// BenchmarkGenerate streams a 60-block article at 100 tokens/s and writes
// it through the fake at Notion's real rate limit. It reports the time from
// the first complete block in the stream to its arrival in Notion, the time
// from the last token to the job's end, and the requests sent, against
// writing everything once at the end.
func BenchmarkGenerate(b *testing.B) {
	md := article60()
	for b.Loop() {
		w := newWorld(&testing.T{}, md, nil)
		w.ai.SetPace(100)
		hc := &http.Client{Transport: notion.NewTransport(testcert.InProcess{Handler: w.notion.API()},
			notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))}
		w.job.Writer = writer.New(hc, secret, nil)
		var firstComplete, lastToken time.Time
		w.job.OnUpdate = func(s Snapshot) {
			if s.Phase == Generating {
				lastToken = time.Now()
				if firstComplete.IsZero() && len(mdnotion.Convert([]byte(stableText(s.Markdown)))) >= 2 {
					firstComplete = time.Now()
				}
			}
		}
		var snap Snapshot
		if err := w.job.Run(context.Background(), &snap); err != nil {
			b.Fatal(err)
		}
		done := time.Now()
		var firstWrite time.Time
		for _, r := range w.notion.Requests() {
			if r.Method == http.MethodPatch {
				firstWrite = r.Time
				break
			}
		}
		once, err := writer.NewPlan(mdnotion.Convert([]byte(md)))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(firstWrite.Sub(firstComplete).Milliseconds()), "ms-to-first-block")
		b.ReportMetric(float64(done.Sub(lastToken).Milliseconds()), "ms-tail")
		b.ReportMetric(float64(snap.Requests), "requests-progressive")
		b.ReportMetric(float64(len(once.Requests)), "requests-at-end")
		b.ReportMetric(float64(len(snap.Written)), "top-blocks")
	}
}
