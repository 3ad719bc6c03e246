//go:build !js

package job

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/writer"
)

// atNotionRate makes the world's writer keep to Notion's real rate limit.
func atNotionRate(w *world) {
	hc := testworld.NotionHTTP(w.notion.API(), notion.WithRate(limits.RequestsPerSecond, limits.RequestBurst))
	w.job.Writer = writer.New(hc, secret, nil)
}

// chunksOf cuts text into pieces of n bytes, as a model streams a few
// characters at a time.
func chunksOf(n int) func(string) []string {
	return func(s string) []string {
		return cut(s, func() int { return n })
	}
}

// answerOf is a chat-style answer of about size bytes: the converter's
// chat article, repeated.
func answerOf(b *testing.B, size int) string {
	article := testworld.Document(b, "21-chat-article")
	var sb strings.Builder
	for sb.Len() < size {
		sb.WriteString(article)
		sb.WriteString("\n")
	}
	return sb.String()
}

// BenchmarkStream streams 50, 150 and 500 KB answers as fast as the fake
// can send them, four bytes a piece, and reports the fastest run's time to
// done, the least CPU time a run took (the fakes' included; on a shared
// machine it is the steadier figure) and the bytes of update JSON the
// engine hands to JavaScript. Both should grow with the answer, not with
// its square.
func BenchmarkStream(b *testing.B) {
	for _, kb := range []int{50, 150, 500} {
		b.Run(fmt.Sprintf("%dKB", kb), func(b *testing.B) {
			md := answerOf(b, kb<<10)
			// The fastest run is the engine's own cost; slower ones waited
			// for a machine shared with other work.
			var (
				bytes     int
				cpu, wall time.Duration
			)
			for b.Loop() {
				before, start := cpuTime(), time.Now()
				w := newWorld(b, md, chunksOf(4))
				bytes = 0
				w.job.OnUpdate = func(u Update) {
					raw, _ := json.Marshal(u)
					bytes += len(raw)
				}
				var snap Snapshot
				if err := w.job.Run(context.Background(), &snap); err != nil {
					b.Fatal(err)
				}
				if c := cpuTime() - before; cpu == 0 || c < cpu {
					cpu = c
				}
				if d := time.Since(start); wall == 0 || d < wall {
					wall = d
				}
			}
			b.ReportMetric(wall.Seconds(), "fastest-s")
			b.ReportMetric(cpu.Seconds(), "cpu-s")
			b.ReportMetric(float64(bytes)/float64(len(md)), "update-bytes/answer-byte")
			b.ReportMetric(float64(bytes)/1e6, "update-MB")
		})
	}
}

// BenchmarkFirstBlock streams the chat article at 100 tokens/s after
// 300 ms to the first token, writing at Notion's real rate, and reports
// how long the first settled block waited for its write to reach Notion.
func BenchmarkFirstBlock(b *testing.B) {
	md := testworld.Document(b, "21-chat-article")
	var wait time.Duration
	for b.Loop() {
		w := newWorld(b, md, nil)
		w.ai.Configure(withPace(w.ai.Config(), 100, 300))
		atNotionRate(w)
		var settled time.Time
		w.job.OnUpdate = func(u Update) {
			if settled.IsZero() && len(u.Blocks) > 0 {
				settled = time.Now()
			}
		}
		var snap Snapshot
		if err := w.job.Run(context.Background(), &snap); err != nil {
			b.Fatal(err)
		}
		for _, r := range w.notion.Requests() {
			if r.Method == http.MethodPatch {
				wait = r.Time.Sub(settled)
				break
			}
		}
	}
	b.ReportMetric(float64(wait.Microseconds())/1000, "ms-first-block")
}

// BenchmarkChurn streams every golden document in eight random chunkings
// and reports the written blocks the final text made Visen delete.
func BenchmarkChurn(b *testing.B) {
	docs := testworld.Documents(b)
	deleted, runs := 0, 0
	for b.Loop() {
		deleted, runs = 0, 0
		for _, md := range docs {
			for seed := range uint64(8) {
				w := newWorld(b, md, randomChunks(seed))
				w.job.OnUpdate = nil
				var snap Snapshot
				if err := w.job.Run(context.Background(), &snap); err != nil {
					b.Fatal(err)
				}
				deleted += snap.Deleted
				runs++
			}
		}
	}
	b.ReportMetric(float64(deleted)/float64(runs), "deletes/doc")
	b.ReportMetric(float64(len(docs)), "docs")
}

// tailDocuments are the documents whose tail is timed: an article, deep
// lists, footnotes, tables, alerts and math.
var tailDocuments = []string{"21-chat-article", "18-deep-mixed-list", "07-list-children", "14-footnotes", "19-big-table", "11-tables", "09-alerts", "12-math"}

// BenchmarkTail streams documents at 150 tokens/s after 300 ms, writing at
// Notion's real rate, and reports per document the time from the last
// token to done and the requests sent after the last token.
func BenchmarkTail(b *testing.B) {
	docs := testworld.Documents(b)
	for _, name := range tailDocuments {
		b.Run(name, func(b *testing.B) {
			var tail time.Duration
			after := 0
			for b.Loop() {
				w := newWorld(b, docs[name], nil)
				w.ai.Configure(withPace(w.ai.Config(), 150, 300))
				atNotionRate(w)
				var last time.Time
				w.job.OnUpdate = func(u Update) {
					if u.Text != "" {
						last = time.Now()
					}
				}
				var snap Snapshot
				if err := w.job.Run(context.Background(), &snap); err != nil {
					b.Fatal(err)
				}
				tail = time.Since(last)
				reqs := w.notion.Requests()
				sort.Slice(reqs, func(i, j int) bool { return reqs[i].Time.Before(reqs[j].Time) })
				after = 0
				for _, r := range reqs {
					if r.Time.After(last) {
						after++
					}
				}
			}
			b.ReportMetric(float64(tail.Milliseconds()), "ms-tail")
			b.ReportMetric(float64(after), "requests-after-last-token")
		})
	}
}

// withPace has the fake model stream at tokensPerSecond after firstMs
// milliseconds to its first token.
func withPace(c fakeai.Config, tokensPerSecond, firstMs int) fakeai.Config {
	c.TokensPerSecond, c.FirstTokenMillis = tokensPerSecond, firstMs
	return c
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
