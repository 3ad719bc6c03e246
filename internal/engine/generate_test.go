package engine

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

// TestAnswerOnly: "Ask about this page" streams the answer to the popup,
// with its blocks for the preview, and writes nothing: no Notion request
// is made at all.
func TestAnswerOnly(t *testing.T) {
	w := pageWorld(t)
	answer := "The goal is **20%** more weekly active teams.\n\n- Hiring may slip.\n"
	w.answers(answer)
	before := texts(w, pageID)
	var (
		text   strings.Builder
		phases []job.Phase
		blocks int
	)
	done, f := w.generate(t, GenerateRequest{JobID: "ask", Writing: writing(), Prompt: "What is the goal?", PageID: pageID, AnswerOnly: true}, func(u seenUpdate) {
		text.WriteString(u.Text)
		blocks += len(u.Blocks)
		if len(phases) == 0 || phases[len(phases)-1] != u.Phase {
			phases = append(phases, u.Phase)
		}
	})
	require.Nil(t, f, "%+v", f)
	assert.Equal(t, job.Done, done.Phase)
	assert.True(t, done.Generated)
	assert.Equal(t, answer, done.Markdown, "the reply holds the whole answer")
	assert.Equal(t, []string{}, done.Written)
	assert.Zero(t, done.Requests)
	assert.Equal(t, answer, text.String(), "the updates carry the text")
	assert.Equal(t, 2, blocks, "the preview gets the answer's blocks")
	assert.Equal(t, []job.Phase{job.Generating, job.Done}, phases)
	assert.Empty(t, w.notion.Requests(), "no Notion request")
	assert.Equal(t, before, texts(w, pageID))
}

// TestAnswerOnlyDoesNotHoldThePage: a question about a page and a write
// into it run side by side, while two writes into one page still do not.
func TestAnswerOnlyDoesNotHoldThePage(t *testing.T) {
	tests := []struct {
		name           string
		outer, inner   bool // whether each job only answers
		wantInnerError string
	}{
		{name: "a write while a question runs", outer: true},
		{name: "a question while a write runs", inner: true},
		{name: "a write while a write runs", wantInnerError: "busy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.answers("An answer.\n")
			started := false
			var inner *Failure
			_, f := w.generate(t, GenerateRequest{JobID: "outer", Writing: writing(), Prompt: "P", PageID: pageID, AnswerOnly: tt.outer}, func(seenUpdate) {
				if started {
					return
				}
				started = true
				_, inner = w.generate(t, GenerateRequest{JobID: "inner", Writing: writing(), Prompt: "P", PageID: pageID, AnswerOnly: tt.inner}, func(seenUpdate) {})
			})
			require.Nil(t, f, "%+v", f)
			if tt.wantInnerError == "" {
				assert.Nil(t, inner, "%+v", inner)
				return
			}
			require.NotNil(t, inner)
			assert.Equal(t, tt.wantInnerError, inner.Code)
		})
	}
}

// TestAnswerOnlyCancelled: a question stopped before its answer came says
// so, and claims nothing was written.
func TestAnswerOnlyCancelled(t *testing.T) {
	w := newWorld(t)
	w.answers(strings.Repeat("A long answer. ", 200))
	w.ai.SetPace(100)
	done, f := w.generate(t, GenerateRequest{JobID: "ask", Writing: writing(), Prompt: "Q", PageID: pageID, AnswerOnly: true}, func(u seenUpdate) {
		assert.True(t, w.engine.Cancel("ask"), "the question is running")
	})
	require.NotNil(t, f)
	assert.Equal(t, "cancelled", f.Code)
	assert.Equal(t, "Stopped.", f.Message)
	assert.Equal(t, job.Cancelled, done.Phase)
	assert.Empty(t, w.notion.Requests())
}

// TestInsertAnAnswer: "Insert into page" writes an answer already
// generated, exactly as given, without the model: its settings may be
// empty. The job reports its text and the blocks as any other.
func TestInsertAnAnswer(t *testing.T) {
	answer := "## The answer\n\nThe goal is **20%** more weekly active teams.\n\n- Hiring may slip.\n"
	tests := []struct {
		name     string
		markdown string
		writing  Writing
		want     []string
		wantCode string
	}{
		{name: "with the model's settings", markdown: answer, writing: writing(), want: []string{"The answer", "The goal is 20% more weekly active teams.", "Hiring may slip."}},
		{name: "with no model settings", markdown: answer, writing: Writing{NotionSecret: secret}, want: []string{"The answer", "The goal is 20% more weekly active teams.", "Hiring may slip."}},
		{name: "a blank answer", markdown: " \n\t\n", writing: Writing{NotionSecret: secret}, wantCode: "no_answer"},
		{name: "an empty answer", markdown: "", writing: Writing{NotionSecret: secret}, wantCode: "no_answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			var text strings.Builder
			md := tt.markdown
			done, f := w.generate(t, GenerateRequest{JobID: "insert", Writing: tt.writing, Prompt: "What is the goal?", PageID: pageID, Markdown: &md}, func(u seenUpdate) {
				text.WriteString(u.Text)
			})
			assert.Empty(t, w.ai.Requests(), "the model is not asked")
			if tt.wantCode != "" {
				require.NotNil(t, f)
				assert.Equal(t, tt.wantCode, f.Code)
				assert.Equal(t, "There is no answer to insert.", f.Message)
				assert.Empty(t, w.notion.Requests(), "nothing is sent")
				return
			}
			require.Nil(t, f, "%+v", f)
			assert.Equal(t, tt.want, texts(w, pageID))
			assert.Equal(t, job.Done, done.Phase)
			assert.Equal(t, tt.markdown, done.Markdown)
			assert.Len(t, done.Written, 3)
			assert.Equal(t, tt.markdown, text.String(), "the updates carry the text, as the history keeps it")
		})
	}
}

// TestInsertResumes: an insert that stopped, whether or not its append
// landed, finishes on Retry with every block once, at the end of the page
// or at its top, resumed from the last snapshot its updates gave or from
// its failed reply, and still without the model. The page already holds
// the same answer, inserted before: a look that took those blocks for the
// new ones would write nothing.
func TestInsertResumes(t *testing.T) {
	var paras []string
	for i := range 60 {
		paras = append(paras, fmt.Sprintf("Paragraph %d of the answer.", i))
	}
	answer := strings.Join(paras, "\n\n") + "\n"
	want := append(append([]string{}, paras...), paras...)
	var earlier []map[string]any
	for _, p := range paras {
		earlier = append(earlier, fakenotion.Block("paragraph", p))
	}
	tests := []struct {
		name   string
		faults []fakenotion.Fault
	}{
		{name: "Notion refused the append", faults: []fakenotion.Fault{{Method: "PATCH", PathPrefix: "/v1/blocks/", Status: 403}}},
		{name: "the append landed but its answer was lost", faults: []fakenotion.Fault{
			{Method: "PATCH", PathPrefix: "/v1/blocks/", Reset: true, AfterApply: true},
			{Method: "GET", PathPrefix: "/v1/blocks/", Status: 403},
		}},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			from    string
			atStart bool
		}{{"update", false}, {"reply", false}, {"update", true}, {"reply", true}} {
			from := c.from
			t.Run(fmt.Sprintf("%s, from the %s, at the top %v", tt.name, c.from, c.atStart), func(t *testing.T) {
				w := newWorld(t)
				w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{pageID: earlier}})
				var (
					draft  strings.Builder
					anchor string
					last   job.Snapshot
				)
				md := answer
				stopped, f := w.generate(t, GenerateRequest{JobID: "insert", Writing: Writing{NotionSecret: secret}, PageID: pageID, Markdown: &md, AtStart: c.atStart}, func(u seenUpdate) {
					draft.WriteString(u.Text)
					anchor = u.Anchor
					if u.Snapshot != nil {
						last = *u.Snapshot
					}
					// The faults come after the look at the page.
					if len(w.notion.Requests()) == 1 && u.Snapshot != nil {
						for _, fault := range tt.faults {
							w.notion.Fail(fault)
						}
					}
				})
				require.NotNil(t, f, "the insert stops")
				last.Markdown = draft.String()
				resume := &last
				if from == "reply" {
					resume = &stopped
				}
				done, f := w.generate(t, GenerateRequest{JobID: "insert", Writing: Writing{NotionSecret: secret}, PageID: pageID, After: anchor, Anchored: true, AtStart: c.atStart, Snapshot: resume}, func(seenUpdate) {})
				require.Nil(t, f, "%+v", f)
				assert.Equal(t, want, texts(w, pageID), "nothing written twice, nothing missing")
				assert.Equal(t, job.Done, done.Phase)
				assert.Empty(t, w.ai.Requests(), "the model is never asked")
			})
		}
	}
}

// TestAtTheTop: a summary asked for at the top of the page goes above
// everything on it, with one look at the page's first block and only the
// first append placed at the top; after a given block it goes there.
func TestAtTheTop(t *testing.T) {
	answer := "## Summary\n\nGrow teams by 20%.\n\nHiring may slip.\n"
	summary := []string{"Summary", "Grow teams by 20%.", "Hiring may slip."}
	tests := []struct {
		name  string
		empty bool
		after int // the page's block to write after; -1 for none
		want  func(page []string) []string
	}{
		{name: "a page with text", after: -1, want: func(page []string) []string { return append(append([]string{}, summary...), page...) }},
		{name: "an empty page", empty: true, after: -1, want: func([]string) []string { return summary }},
		{name: "after a block, which wins", after: 1, want: func(page []string) []string {
			return append(append(append([]string{}, page[:2]...), summary...), page[2:]...)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if !tt.empty {
				w = pageWorld(t)
			}
			w.answers(answer)
			page := texts(w, pageID)
			req := GenerateRequest{JobID: "sum", Writing: writing(), Prompt: "Summarize", PageID: pageID, AtStart: true}
			if tt.after >= 0 {
				req.After = ids(w, pageID)[tt.after]
			}
			var anchors []string
			done, f := w.generate(t, req, func(u seenUpdate) {
				anchors = append(anchors, fmt.Sprintf("%s %v", u.Anchor, u.Anchored))
			})
			require.Nil(t, f, "%+v", f)
			assert.Equal(t, job.Done, done.Phase)
			assert.Equal(t, tt.want(page), texts(w, pageID))
			if tt.after >= 0 {
				return
			}
			for _, a := range anchors {
				assert.Equal(t, " true", a, "a resume starts at the top, anchored")
			}
			var sent []string
			for _, r := range w.notion.Requests() {
				sent = append(sent, r.Method+" "+http.Header(r.Header).Get("Notion-Version"))
			}
			require.NotEmpty(t, sent)
			assert.Equal(t, []string{"GET 2025-09-03", "PATCH 2026-03-11"}, sent[:2], "one look at the first block, then the top")
			for _, s := range sent[2:] {
				assert.Equal(t, "PATCH 2025-09-03", s, "the rest go after the job's last block")
			}
		})
	}
}

// TestAnswerOnlyResumes: a question that stopped resumes from its
// snapshot: the model goes on from the draft, or is not asked again once
// it had finished; Notion is never asked.
func TestAnswerOnlyResumes(t *testing.T) {
	tests := []struct {
		name      string
		snap      job.Snapshot
		wantAsked bool
		want      string
	}{
		{name: "the model had not finished", snap: job.Snapshot{Phase: job.Failed, Markdown: "The goal is"}, wantAsked: true, want: "The goal is more teams.\n"},
		{name: "the model had finished", snap: job.Snapshot{Phase: job.Cancelled, Markdown: "The goal is growth.\n", Generated: true}, want: "The goal is growth.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.answers(" more teams.\n")
			snap := tt.snap
			done, f := w.generate(t, GenerateRequest{JobID: "ask", Writing: writing(), Prompt: "Q", PageID: pageID, AnswerOnly: true, Snapshot: &snap}, func(seenUpdate) {})
			require.Nil(t, f, "%+v", f)
			assert.Equal(t, job.Done, done.Phase)
			assert.Equal(t, tt.want, done.Markdown)
			assert.Equal(t, tt.wantAsked, len(w.ai.Requests()) > 0)
			assert.Empty(t, w.notion.Requests())
		})
	}
}

// TestGenerateAfterNestedBlock writes after a cursor in a list item's
// nested item: the answer goes into that list item, right after it, and
// the update names the list item for a resume. A cursor block that is gone
// gets a sentence.
func TestGenerateAfterNestedBlock(t *testing.T) {
	w := newWorld(t)
	item := fakenotion.Block("bulleted_list_item", "Research")
	item["bulleted_list_item"].(map[string]any)["children"] = []any{fakenotion.Block("bulleted_list_item", "Interview ten teams"), fakenotion.Block("bulleted_list_item", "Read the surveys")}
	w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{pageID: {fakenotion.Block("heading_2", "Plan"), item, fakenotion.Block("paragraph", "Then build.")}}})
	top, nested := ids(w, pageID), ids(w, ids(w, pageID)[1])
	w.answers("- Call three customers\n")

	var parent string
	_, f := w.generate(t, GenerateRequest{JobID: "nested", Writing: writing(), Prompt: "P", PageID: pageID, After: nested[0]}, func(u seenUpdate) {
		parent = u.Parent
	})
	require.Nil(t, f, "%+v", f)
	assert.Equal(t, top[1], parent)
	assert.Equal(t, []string{"Interview ten teams", "Call three customers", "Read the surveys"}, texts(w, top[1]))
	assert.Equal(t, []string{"Plan", "Research", "Then build."}, texts(w, pageID))

	_, f = w.generate(t, GenerateRequest{JobID: "gone", Writing: writing(), Prompt: "P", PageID: pageID, After: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}, func(seenUpdate) {})
	require.NotNil(t, f)
	assert.Equal(t, "cursor_gone", f.Code)
	assert.Contains(t, f.Message, "The block your cursor was in is no longer on this page")
}
