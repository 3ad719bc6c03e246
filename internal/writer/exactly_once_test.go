package writer

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

func paragraph(text string) map[string]any {
	return fakenotion.Block("paragraph", text)
}

func ids(blocks []map[string]any) []string {
	var out []string
	for _, b := range blocks {
		out = append(out, b["id"].(string))
	}
	return out
}

// TestReadBackNeverTakesABlockThatWasThere: the page already holds a block
// like the one being written, and the connection drops before the append
// applies. The read-back must see that nothing landed, write the block, and
// record the new block, never the person's own.
func TestReadBackNeverTakesABlockThatWasThere(t *testing.T) {
	tests := []struct {
		name     string
		existing []string
		after    int // index of the block to write after; -1 for the end
		start    bool
		want     []string
	}{
		{name: "at the end of a page that ends alike", existing: []string{"Intro.", "Same."}, after: -1,
			want: []string{"Intro.", "Same.", "Same."}},
		{name: "after a block followed by one alike", existing: []string{"Intro.", "Same."}, after: 0,
			want: []string{"Intro.", "Same.", "Same."}},
		{name: "at the end of a page that ends with three alike", existing: []string{"Same.", "Same.", "Same."}, after: -1,
			want: []string{"Same.", "Same.", "Same.", "Same.", "Same.", "Same."}},
		{name: "at the start of a page that starts alike", existing: []string{"Same.", "Intro."}, after: -1, start: true,
			want: []string{"Same.", "Same.", "Intro."}},
		{name: "at the start of a page that starts with two alike", existing: []string{"Same.", "Same."}, after: -1, start: true,
			want: []string{"Same.", "Same.", "Same.", "Same."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(tt.existing...)
			before := ids(fake.Children(pageID))
			fake.Fail(fakenotion.Fault{Method: "PATCH", PathPrefix: "/v1/blocks/", Reset: true})
			var children []map[string]any
			for range len(tt.want) - len(tt.existing) {
				children = append(children, paragraph("Same."))
			}
			plan := &Plan{Blocks: len(children), Requests: []Request{{Children: children, Blocks: len(children)}}}
			target := Place{ParentID: pageID, Start: tt.start}
			if tt.after >= 0 {
				target.After = before[tt.after]
			}
			var state State
			require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, target, &state))

			var texts []string
			for _, b := range fake.Children(pageID) {
				texts = append(texts, text(b))
			}
			assert.Equal(t, tt.want, texts, "the block is on the page, once")
			for _, id := range state.IDs[0] {
				assert.NotContains(t, before, id, "a block that was there before is never recorded as written")
			}
		})
	}
}

// TestHealingIsBounded: a block Notion refuses whatever form it takes is
// healed once, then the write stops with a validation error instead of
// sending forever.
func TestHealingIsBounded(t *testing.T) {
	fake := newFake()
	fake.Fail(fakenotion.Fault{Method: "PATCH", PathPrefix: "/v1/blocks/", Times: 1 << 20, Status: 400, Code: "validation_error",
		Message: "body failed validation: body.children[1].paragraph.rich_text[0].text.content.length should be ≤ `2000`."})
	plan := &Plan{Blocks: 2, Requests: []Request{{Children: []map[string]any{paragraph("a"), paragraph("b")}, Blocks: 2}}}
	var state State
	err := newWriter(fake, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state)
	var ne *notion.Error
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, notion.KindValidation, ne.Kind)
	appends := 0
	for _, r := range fake.Requests() {
		if r.Method == "PATCH" {
			appends++
		}
	}
	assert.Equal(t, 2, appends, "the request as planned, then once with the block healed")
	assert.Empty(t, fake.Children(pageID))
}

// TestHealingKeepsEveryCharacter: a refused block longer than one
// rich-text array holds is written whole, in paragraphs.
func TestHealingKeepsEveryCharacter(t *testing.T) {
	var items []any
	var want strings.Builder
	for i := range 150 {
		s := strings.Repeat(string(rune('a'+i%26)), 1999) + "😀"[:4]
		want.WriteString(s)
		items = append(items, map[string]any{"type": "text", "text": map[string]any{"content": s}})
	}
	refused := map[string]any{"object": "block", "type": "code", "code": map[string]any{"language": "klingon", "rich_text": items}}
	plan := &Plan{Blocks: 1, Requests: []Request{{Children: []map[string]any{refused}, Blocks: 1}}}
	fake := newFake()
	var state State
	require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state))

	var got strings.Builder
	for _, b := range fake.Children(pageID) {
		got.WriteString(text(b))
		for _, c := range fake.Children(b["id"].(string)) {
			got.WriteString(text(c))
		}
	}
	assert.Equal(t, want.String(), got.String())
	require.Len(t, state.Warnings, 1)
}

// TestAnyDepth: ten thousand nested quotes plan without the JSON decoder's
// depth limit and land in a few requests with every word.
func TestAnyDepth(t *testing.T) {
	tests := []struct {
		name string
		md   string
	}{
		{name: "10,000 quotes", md: strings.Repeat(">", 10_000) + " deep"},
		{name: "quotes deepening line by line", md: deepening(300)},
		{name: "1,000 quotes", md: strings.Repeat(">", 1_000) + " deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := md2notion.Convert([]byte(tt.md))
			plan, err := NewPlan(blocks)
			require.NoError(t, err)
			for _, r := range plan.Requests {
				raw, err := json.Marshal(r)
				require.NoError(t, err)
				var back any
				require.NoError(t, json.Unmarshal(raw, &back), "every request reads back as JSON")
			}
			assert.LessOrEqual(t, len(plan.Requests), MaxDepth+int(plan.Blocks/90)+2, "few requests")
			fake := newFake()
			var state State
			require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state))
			assert.Equal(t, plan.Blocks, state.Confirmed)
			assert.Equal(t, wordsOf(tt.md), wordsOf(strings.Join(allText(fake, pageID), " ")), "every word is on the page")
		})
	}
}

// deepening is a quote one level deeper on every line, with text at
// each level.
func deepening(depth int) string {
	var b strings.Builder
	for i := range depth {
		fmt.Fprintf(&b, "%s level%d\n%s\n", strings.Repeat(">", i+1), i, strings.Repeat(">", i+1))
	}
	return b.String()
}

func allText(fake *fakenotion.Server, parent string) []string {
	var out []string
	for _, b := range fake.Children(parent) {
		out = append(out, text(b))
		out = append(out, allText(fake, b["id"].(string))...)
	}
	return out
}

func wordsOf(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if w := strings.Trim(f, ">-# "); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// seeded is a page that already ends with the same top-level blocks the
// plan begins with, without their children.
func seeded(t *testing.T, blocks []notionapi.Block, n int) (*fakenotion.Server, []string) {
	var existing []map[string]any
	for _, b := range treeJSON(t, blocks[:min(n, len(blocks))]) {
		typ := b["type"].(string)
		delete(b[typ].(map[string]any), "children")
		existing = append(existing, b)
	}
	fake := fakenotion.New(fakenotion.Seed{
		Integrations: []fakenotion.Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}},
		Pages:        []fakenotion.Page{{ID: pageID, Title: "Target", Connected: []string{"Bot"}}},
		Blocks:       map[string][]map[string]any{pageID: existing},
	})
	return fake, shape(existing)
}

// refusedCode is a code block in a language Notion does not know, which it
// refuses every time; the writer heals it into a paragraph.
func refusedCode(text string) (notionapi.Block, string) {
	return &notionapi.CodeBlock{BasicBlock: notionapi.BasicBlock{Object: "block", Type: "code"}, Code: notionapi.Code{
		Language: "klingon", RichText: []notionapi.RichText{{Type: "text", Text: &notionapi.Text{Content: text}}},
	}}, "paragraph\x00" + text
}

// TestFaultMatrixOnPagesThatEndAlike: every network fault, on pages that
// already end with the blocks about to be written, with a block Notion
// refuses in the middle: the page ends with what was there, then the
// document, once, in order.
func TestFaultMatrixOnPagesThatEndAlike(t *testing.T) {
	kinds := []fakenotion.Fault{
		{Status: 500}, {Status: 503}, {Status: 529}, {Reset: true}, {Reset: true, AfterApply: true}, {Status: 502, DelayMS: 2},
		{Status: 504, AfterApply: true, ApplyAfterMS: 2},
	}
	schedules := 0
	for d, name := range []string{"04-lists", "07-list-children", "18-deep-mixed-list", "21-chat-article"} {
		blocks := doc(t, name)
		bad, healed := refusedCode("qapla'")
		blocks = append(blocks[:len(blocks)/2:len(blocks)/2], append([]notionapi.Block{bad}, blocks[len(blocks)/2:]...)...)
		plan, want := planned(t, blocks)
		for i, s := range want {
			if s == "code\x00qapla'" {
				want[i] = healed
			}
		}
		for s := range 30 {
			rng := rand.New(rand.NewPCG(uint64(d), uint64(s)))
			fake, existing := seeded(t, blocks, 1+rng.IntN(4))
			// At most six failures in a row: within the writer's bound on
			// re-sending one request.
			schedule := failSome(rng, fake, kinds, 3)
			require.NoError(t, writeAll(fake, plan), "%s schedule %v", name, schedule)
			require.Equal(t, append(existing, want...), shape(fake.Children(pageID)), "%s schedule %v", name, schedule)
			schedules++
		}
	}
	assert.GreaterOrEqual(t, schedules, 100)
}

// TestResumeFromAStaleState: the writer went on after the resume point
// was saved, so the saved state is behind the page. Resumed from a state
// saved at any step, on a page that ends like the document begins, the
// page holds the document once.
func TestResumeFromAStaleState(t *testing.T) {
	blocks := doc(t, "18-deep-mixed-list", "07-list-children", "04-lists")
	plan, want := planned(t, blocks)
	cases := 0
	for saved := 1; saved < len(plan.Requests); saved++ {
		for stop := saved; stop <= len(plan.Requests); stop++ {
			fake, existing := seeded(t, blocks, 2)
			stale := stopped(t, fake, plan, Place{ParentID: pageID}, saved, stop)
			before := len(fake.Requests())
			require.NoError(t, newWriter(fake, nil, Resuming()).Write(context.Background(), plan, Place{ParentID: pageID}, &stale))
			require.Equal(t, append(existing, want...), shape(fake.Children(pageID)), "saved after request %d, stopped after %d", saved, stop)
			assert.LessOrEqual(t, len(fake.Requests())-before, 2*(len(plan.Requests)-saved)+1, "one look per request at most, besides the sends")
			cases++
		}
	}
	assert.Greater(t, cases, 20)
}

// TestAtTheStartExactlyOnce writes at the top of pages that begin like the
// document, through every network fault, and resumes from a state saved at
// any step (the zero state being a job that stopped before it knew of any
// write): the page holds the document once, above what was there.
func TestAtTheStartExactlyOnce(t *testing.T) {
	blocks := doc(t, "18-deep-mixed-list", "07-list-children")
	plan, want := planned(t, blocks)
	top := func(fake *fakenotion.Server) Place {
		return Place{ParentID: pageID, Start: true, Anchored: true, Before: ids(fake.Children(pageID))[0]}
	}

	t.Run("faults", func(t *testing.T) {
		kinds := []fakenotion.Fault{{Status: 500}, {Status: 503}, {Reset: true}, {Reset: true, AfterApply: true}, {Status: 502, DelayMS: 2},
			{Status: 502, AfterApply: true, ApplyAfterMS: 2}}
		for s := range 40 {
			rng := rand.New(rand.NewPCG(uint64(s), 11))
			// Some pages begin with every top-level block of the document.
			fake, existing := seeded(t, blocks, []int{1, 3, len(blocks)}[s%3])
			target := top(fake)
			if s%2 == 1 {
				// Not told what was first: the writer reads it itself.
				target = Place{ParentID: pageID, Start: true}
			}
			schedule := failSome(rng, fake, kinds, 3)
			var state State
			require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, target, &state), "schedule %v", schedule)
			require.Equal(t, append(append([]string{}, want...), existing...), shape(fake.Children(pageID)), "schedule %v", schedule)
		}
	})

	t.Run("resume", func(t *testing.T) {
		cases := 0
		for saved := 0; saved < len(plan.Requests); saved++ {
			// stop 0 is a job that stopped before its first write.
			for stop := saved; stop <= len(plan.Requests); stop++ {
				fake, existing := seeded(t, blocks, []int{len(blocks), 2}[stop%2])
				target := top(fake)
				stale := stopped(t, fake, plan, target, saved, stop)
				require.NoError(t, newWriter(fake, nil, Resuming()).Write(context.Background(), plan, target, &stale))
				require.Equal(t, append(append([]string{}, want...), existing...), shape(fake.Children(pageID)), "saved after request %d, stopped after %d", saved, stop)
				cases++
			}
		}
		assert.Greater(t, cases, 10)
	})
}

// TestReadBackAtTheTopOfALongPage: after an answer lost on the way, a
// write at the top of a long page reads back its own blocks, not the whole
// page below them.
func TestReadBackAtTheTopOfALongPage(t *testing.T) {
	var existing []string
	for i := range 350 {
		existing = append(existing, fmt.Sprintf("Line %d.", i))
	}
	tests := []struct {
		name      string
		start     bool
		wantReads int
	}{
		{name: "at the top", start: true, wantReads: 1},
		// At the end the page's last block is the start: one page from it.
		{name: "at the end", wantReads: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(existing...)
			kids := ids(fake.Children(pageID))
			target := Place{ParentID: pageID, Anchored: true, After: kids[len(kids)-1]}
			if tt.start {
				target = Place{ParentID: pageID, Start: true, Anchored: true, Before: kids[0]}
			}
			fake.Fail(fakenotion.Fault{Method: "PATCH", PathPrefix: "/v1/blocks/", Reset: true, AfterApply: true})
			plan := &Plan{Blocks: 2, Requests: []Request{{Children: []map[string]any{paragraph("New."), paragraph("Also new.")}, Blocks: 2}}}
			var state State
			require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, target, &state))
			reads := 0
			for _, r := range fake.Requests() {
				if r.Method == "GET" {
					reads++
				}
			}
			assert.Equal(t, tt.wantReads, reads)
			assert.Len(t, fake.Children(pageID), 352, "written once")
		})
	}
}

// stopped writes a plan that stops after its stop-th confirmed request
// (before any, for 0), and returns the state as it was saved after the
// saved-th (the zero state for 0).
func stopped(t *testing.T, fake *fakenotion.Server, plan *Plan, target Place, saved, stop int) State {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kept, err := json.Marshal(State{})
	require.NoError(t, err)
	done := 0
	var state State
	w := newWriter(fake, func(Progress) {
		done++
		if done == saved {
			kept, _ = json.Marshal(state)
		}
		if done == stop {
			cancel()
		}
	})
	if stop > 0 {
		err := w.Write(ctx, plan, target, &state)
		if stop < len(plan.Requests) {
			require.ErrorIs(t, err, context.Canceled)
		}
	}
	var stale State
	require.NoError(t, json.Unmarshal(kept, &stale))
	return stale
}

// TestAReadBackWaitsForALateApply: Notion answers 504 for an append it
// applies a moment later. Read back at once, the page would not hold it
// yet and the blocks would be sent again; the writer waits first, as it
// ships.
func TestAReadBackWaitsForALateApply(t *testing.T) {
	tests := []struct {
		name  string
		fault fakenotion.Fault
	}{
		{name: "a gateway timeout", fault: fakenotion.Fault{Status: 504, AfterApply: true, ApplyAfterMS: 300}},
		{name: "a bad gateway", fault: fakenotion.Fault{Status: 502, AfterApply: true, ApplyAfterMS: 300}},
		{name: "a dropped connection", fault: fakenotion.Fault{Reset: true, AfterApply: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake("Before.")
			f := tt.fault
			f.Method, f.PathPrefix = "PATCH", "/v1/blocks/"
			fake.Fail(f)
			plan := &Plan{Blocks: 2, Requests: []Request{{Children: []map[string]any{paragraph("One."), paragraph("Two.")}, Blocks: 2}}}
			var state State
			require.NoError(t, New(client(fake), secret, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state))
			time.Sleep(400 * time.Millisecond)
			assert.Equal(t, []string{"paragraph\x00Before.", "paragraph\x00One.", "paragraph\x00Two."}, shape(fake.Children(pageID)), "written once")
		})
	}
}
