//go:build !js

package fill

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
	"github.com/visen/visen/internal/writer"
)

// stepAnswer takes several requests to write: its list nests deeper than
// one request carries.
const stepAnswer = "# {{prompt}}\n\n- one\n  - two\n    - three\n      - four\n\nEnd.\n"

// shapeOf is a tree of blocks as lines of type and text, nested ones
// indented.
func shapeOf(w *world, parent, indent string) []string {
	var out []string
	for _, b := range w.notion.Children(parent) {
		out = append(out, indent+b["type"].(string)+" "+fakenotion.Text(b))
		out = append(out, shapeOf(w, b["id"].(string), indent+"  ")...)
	}
	return out
}

// stoppedWorld is a database of ten rows, each of whose pages already
// ends with a paragraph like the answer's last, and whose answers take
// several requests each.
func stoppedWorld(t *testing.T, n int) *world {
	var rows [][3]string
	for i := range 10 {
		rows = append(rows, [3]string{fmt.Sprintf("Row %d", i), fmt.Sprintf("topic %d", i), "Blog"})
	}
	w := newWorldOf(t, rows, "Write about {{Topic}}.", Output{})
	w.ai.Configure(fakeai.Config{Keys: []string{key}, Models: []string{"m"}, Answer: stepAnswer})
	seed := map[string][]map[string]any{}
	for i := range rows {
		seed[fakenotion.RowID(i+1)] = []map[string]any{{"object": "block", "type": "paragraph", "paragraph": text("End.")}}
	}
	w.notion.Add(fakenotion.Seed{Blocks: seed})
	w.runner.Writer = writer.New(w.hc, secret, nil, writer.PauseBeforeReadBack(2*time.Millisecond))
	w.runner.Concurrency = n
	return w
}

// wantRow is a row's page after its answer was written once.
func wantRow(i int) []string {
	return []string{
		"paragraph End.",
		fmt.Sprintf("heading_1 Write about topic %d.", i),
		"bulleted_list_item one", "  bulleted_list_item two", "    bulleted_list_item three", "      bulleted_list_item four",
		"paragraph End.",
	}
}

// TestARunStoppedAtAnyStepIsRetriedWithEachAnswerOnce: the browser stops
// a run after any update it reported, while Notion fails some appends
// ambiguously; the background kept that update or one of the two before
// it, as JSON, and Retry goes on from it. Every row's page holds its
// answer once.
func TestARunStoppedAtAnyStepIsRetriedWithEachAnswerOnce(t *testing.T) {
	kinds := []fakenotion.Fault{{Status: 504, AfterApply: true}, {Status: 502}, {Reset: true, AfterApply: true}, {Reset: true}}
	for _, n := range []int{1, 8} {
		t.Run(fmt.Sprintf("%d at once", n), func(t *testing.T) {
			w := stoppedWorld(t, n)
			updates := 0
			w.runner.OnUpdate = func(Run) { updates++ }
			require.NoError(t, w.runner.Run(context.Background(), allRowsOf(10)))
			require.Greater(t, updates, 20)
			for i := range 10 {
				require.Equal(t, wantRow(i), shapeOf(w, fakenotion.RowID(i+1), ""), "a run that is not stopped")
			}

			for stop := 1; stop <= updates; stop++ {
				w := stoppedWorld(t, n)
				rng := rand.New(rand.NewPCG(uint64(n), uint64(stop)))
				var schedule []string
				for range rng.IntN(3) {
					f := kinds[rng.IntN(len(kinds))]
					f.Method, f.PathPrefix = "PATCH", "/v1/blocks/"
					w.notion.Fail(f)
					schedule = append(schedule, fmt.Sprintf("%+v", f))
				}
				// Storage may be behind by a save or two when the browser
				// closes: the background saves at most every 250 ms.
				lag := stop % 3
				ctx, cancel := context.WithCancel(context.Background())
				var kept []byte
				seen := 0
				w.runner.OnUpdate = func(r Run) {
					if seen++; seen > stop {
						return
					}
					if seen <= max(stop-lag, 1) {
						raw, err := json.Marshal(r)
						require.NoError(t, err)
						kept = raw
					}
					if seen == stop {
						// The browser closes: nothing after this happens.
						cancel()
					}
				}
				_ = w.runner.Run(ctx, allRowsOf(10))
				cancel()

				var stored Run
				require.NoError(t, json.Unmarshal(kept, &stored))
				// A new runner, as a new background would make.
				retry := &Runner{
					Notion: w.runner.Notion, AI: w.runner.AI, Request: w.runner.Request, DataSourceID: w.runner.DataSourceID,
					Schema: w.runner.Schema, Template: w.runner.Template, Concurrency: n,
					Writer: writer.New(w.hc, secret, nil, writer.PauseBeforeReadBack(2*time.Millisecond)),
				}
				require.NoError(t, retry.Run(context.Background(), &stored), "stopped after update %d, kept %d, faults %v", stop, max(stop-lag, 1), schedule)
				for i, row := range stored.Rows {
					require.Equal(t, Written, row.Status, "row %d, stopped after update %d", i, stop)
					require.Equal(t, wantRow(i), shapeOf(w, fakenotion.RowID(i+1), ""), "row %d, stopped after update %d, kept %d, faults %v", i, stop, max(stop-lag, 1), schedule)
				}
			}
		})
	}
}

// allRowsOf is a run over the first n rows.
func allRowsOf(n int) *Run {
	run := &Run{}
	for i := range n {
		run.Rows = append(run.Rows, Row{ID: fakenotion.RowID(i + 1), Title: fmt.Sprintf("Row %d", i), Status: Waiting})
	}
	return run
}
