package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/testworld/fakenotion"
	"github.com/visen/visen/internal/writer"
)

// seenUpdate is what a test reads of an update: the engine's own type
// holds blocks as interfaces, which JSON cannot decode back.
type seenUpdate struct {
	Phase    job.Phase     `json:"phase"`
	Text     string        `json:"text"`
	Blocks   []any         `json:"blocks"`
	OnPage   int           `json:"onPage"`
	Snapshot *job.Snapshot `json:"snapshot"`
	Anchor   string        `json:"anchor"`
	Anchored bool          `json:"anchored"`
	Parent   string        `json:"parent"`
}

func (w *world) generate(t *testing.T, req GenerateRequest, onUpdate func(seenUpdate)) (job.Snapshot, *Failure) {
	t.Helper()
	in, err := json.Marshal(req)
	require.NoError(t, err)
	var r struct {
		Data  job.Snapshot `json:"data"`
		Error *Failure     `json:"error"`
	}
	out := w.engine.Generate(context.Background(), in, func(raw []byte) {
		var s seenUpdate
		require.NoError(t, json.Unmarshal(raw, &s))
		onUpdate(s)
	})
	require.NoError(t, json.Unmarshal(out, &r))
	return r.Data, r.Error
}

// TestResumeFromAStaleSnapshot: storage kept an older snapshot than the
// job reached (its last saves failed), and the page already held a
// paragraph like the answer's first, where the answer goes: at its end or
// at its top. Resumed from any snapshot the job reported, with what the
// extension keeps of the job, the page holds the answer once, in place.
func TestResumeFromAStaleSnapshot(t *testing.T) {
	var paras []string
	for i := range 80 {
		paras = append(paras, fmt.Sprintf("Paragraph %d of the answer.", i))
	}
	paras[0], paras[1] = "Same.", "Same."
	answer := strings.Join(paras, "\n\n") + "\n"
	fresh := func() *world {
		w := newWorld(t)
		w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{pageID: {
			fakenotion.Block("paragraph", "Same."),
		}}})
		w.answers(answer)
		// A model's real pace, so the job writes while it streams.
		w.ai.SetPace(150)
		return w
	}
	tests := []struct {
		name    string
		atStart bool
		want    []string
	}{
		{name: "at the end", want: append([]string{"Same."}, paras...)},
		{name: "at the top", atStart: true, want: append(append([]string{}, paras...), "Same.")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := GenerateRequest{JobID: "j", Writing: writing(), Prompt: "Write", PageID: pageID, AtStart: tt.atStart}
			// Every distinct point the job reported, as storage could have kept it.
			var points []job.Snapshot
			seen := map[string]bool{}
			w := fresh()
			// Updates carry the text added; the extension adds it up into
			// the draft and keeps it with the latest snapshot.
			var draft strings.Builder
			_, f := w.generate(t, req, func(u seenUpdate) {
				draft.WriteString(u.Text)
				if u.Snapshot == nil {
					return
				}
				s := *u.Snapshot
				s.Markdown = draft.String()
				key := fmt.Sprintf("%s %d %v %d", s.Phase, len(s.Written), s.Batch != nil, s.Blocks)
				if !seen[key] && s.Phase != job.Done {
					seen[key] = true
					points = append(points, s)
				}
			})
			require.Nil(t, f)
			require.Equal(t, tt.want, texts(w, pageID))
			// The in-process fake delivers the stream at once, so the job
			// hands out its snapshot at the start and at each phase: the
			// resume points a person's storage can hold at least.
			require.GreaterOrEqual(t, len(points), 2)

			for i, p := range points {
				t.Run(fmt.Sprintf("point %d: %s, %d written", i, p.Phase, len(p.Written)), func(t *testing.T) {
					w := fresh()
					var stale *job.Snapshot
					// The extension keeps each update's anchor with the
					// job, and sends it back on resume.
					var anchor string
					var anchored bool
					var draft strings.Builder
					_, f := w.generate(t, req, func(u seenUpdate) {
						draft.WriteString(u.Text)
						anchor, anchored = u.Anchor, u.Anchored
						if u.Snapshot == nil {
							return
						}
						s := *u.Snapshot
						s.Markdown = draft.String()
						key := fmt.Sprintf("%s %d %v %d", s.Phase, len(s.Written), s.Batch != nil, s.Blocks)
						if stale == nil && key == fmt.Sprintf("%s %d %v %d", p.Phase, len(p.Written), p.Batch != nil, p.Blocks) {
							stale = &s
						}
					})
					require.Nil(t, f)
					require.NotNil(t, stale)
					require.True(t, anchored)
					resumed := req
					resumed.After, resumed.Anchored, resumed.Snapshot = anchor, anchored, stale
					done, f := w.generate(t, resumed, func(seenUpdate) {})
					require.Nil(t, f, "%+v", f)
					assert.Equal(t, tt.want, texts(w, pageID), "nothing written twice, nothing missing")
					assert.Equal(t, job.Done, done.Phase)
				})
			}
		})
	}
}

// TestMalformedSnapshots: a snapshot storage gives back damaged is
// answered with an error a person can read, or resumed safely; never a
// panic.
func TestMalformedSnapshots(t *testing.T) {
	plan := &writer.Plan{Blocks: 2, Requests: []writer.Request{
		{Children: []map[string]any{{"object": "block", "type": "paragraph", "paragraph": map[string]any{"rich_text": []any{}}}}, Blocks: 1},
		{Parent: &writer.Ref{Request: 0, Index: 3}, Children: []map[string]any{{"object": "block", "type": "paragraph", "paragraph": map[string]any{"rich_text": []any{}}}}, Blocks: 1},
	}}
	tests := []struct {
		name     string
		snap     job.Snapshot
		wantCode string
	}{
		{name: "a batch with no plan", snap: job.Snapshot{Phase: job.Failed, Markdown: "Hello.\n", Generated: true, Batch: &job.Batch{State: &writer.State{Next: 1}}}},
		{name: "a batch with no state", snap: job.Snapshot{Phase: job.Failed, Markdown: "Hello.\n", Generated: true, Batch: &job.Batch{Plan: plan}}},
		{name: "IDs shorter than the index", snap: job.Snapshot{Phase: job.Failed, Markdown: "Hello.\n", Generated: true, Batch: &job.Batch{Plan: plan, State: &writer.State{Next: 1, IDs: [][]string{{"x"}}}}}},
		{name: "written blocks without digests", snap: job.Snapshot{Phase: job.Failed, Markdown: "Hello.\n", Generated: true, Written: []string{"a", "b"}, Sums: []string{"x"}}, wantCode: "invalid_snapshot"},
		{name: "an unknown phase", snap: job.Snapshot{Phase: "exploded", Markdown: "Hello.\n"}, wantCode: "invalid_snapshot"},
		{name: "more confirmed than written", snap: job.Snapshot{Phase: job.Failed, Markdown: "Hello.\n", Batch: &job.Batch{State: &writer.State{Confirmed: 9}}}, wantCode: "invalid_snapshot"},
		{name: "a finished job", snap: job.Snapshot{Phase: job.Done, Markdown: "Hello.\n", Generated: true}, wantCode: "finished"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			snap := tt.snap
			done, f := w.generate(t, GenerateRequest{JobID: "j", Writing: writing(), Prompt: "Write", PageID: pageID, Snapshot: &snap}, func(seenUpdate) {})
			if tt.wantCode == "" {
				require.Nil(t, f, "%+v", f)
				assert.Equal(t, []string{"Hello."}, texts(w, pageID))
				assert.Equal(t, job.Done, done.Phase)
				return
			}
			require.NotNil(t, f)
			assert.Equal(t, tt.wantCode, f.Code)
			assert.NotContains(t, f.Message, "Something went wrong")
			assert.Empty(t, w.notion.Children(pageID), "nothing written")
		})
	}
}

func TestBadPayloadKeepsItsCause(t *testing.T) {
	w := newWorld(t)
	var r Reply
	require.NoError(t, json.Unmarshal(w.engine.Generate(context.Background(), []byte(`{"jobId": 7}`), func([]byte) {}), &r))
	require.NotNil(t, r.Error)
	assert.Equal(t, "internal", r.Error.Code)
	assert.Contains(t, r.Error.Cause, "jobId", "the decoder's error is kept for the console")
}

func TestSafelyTurnsAPanicIntoAFailedReply(t *testing.T) {
	tests := []struct {
		name     string
		run      func() []byte
		wantOK   bool
		wantText string
	}{
		{name: "a panic", run: func() []byte { var s *job.Snapshot; return []byte(s.Phase) }, wantText: "nil pointer"},
		{name: "an index out of range", run: func() []byte { var ids [][]string; return []byte(ids[0][1]) }, wantText: "index out of range"},
		{name: "no panic", run: func() []byte { return marshalReply(Reply{OK: true}) }, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Reply
			require.NoError(t, json.Unmarshal(Safely(tt.run), &r))
			assert.Equal(t, tt.wantOK, r.OK)
			if !tt.wantOK {
				require.NotNil(t, r.Error)
				assert.Equal(t, "internal", r.Error.Code)
				assert.Contains(t, r.Error.Cause, tt.wantText)
			}
		})
	}
}

// TestResumeFindsBlocksSentInAnotherForm: the workspace refuses heading_4
// and callouts, so the job wrote heading_3 and plain text instead; storage
// kept only the snapshot from before Notion's answer. Resumed from it, the
// job finds what it sent and writes nothing twice.
func TestResumeFindsBlocksSentInAnotherForm(t *testing.T) {
	tests := []struct {
		name, answer string
		want         []string
	}{
		{name: "a heading_4 written as heading_3", answer: "#### Four\n\nText.\n", want: []string{"heading_3 Four", "paragraph Text."}},
		{name: "a callout written as plain text", answer: "Intro.\n\n> [!NOTE]\n> Careful.\n\nText.\n",
			want: []string{"paragraph Intro.", "paragraph Careful.", "paragraph Text."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.notion.Refuse("heading_4", "callout")
			var (
				kept           *job.Snapshot
				anchor, parent string
			)
			md := tt.answer
			req := GenerateRequest{JobID: "insert", Writing: Writing{NotionSecret: secret}, PageID: pageID, Markdown: &md}
			_, f := w.generate(t, req, func(u seenUpdate) {
				if u.Snapshot != nil && kept == nil && u.Phase == job.Writing {
					s := *u.Snapshot
					s.Markdown = md
					kept, anchor, parent = &s, u.Anchor, u.Parent
				}
			})
			require.Nil(t, f)
			require.Equal(t, tt.want, typedTexts(w))
			require.NotNil(t, kept)

			resumed := req
			resumed.PageID, resumed.After, resumed.Anchored, resumed.Snapshot = parent, anchor, true, kept
			done, f := w.generate(t, resumed, func(seenUpdate) {})
			require.Nil(t, f, "%+v", f)
			assert.Equal(t, tt.want, typedTexts(w), "nothing written twice")
			assert.Equal(t, job.Done, done.Phase)
		})
	}
}

// typedTexts is each block of the page as its type and text.
func typedTexts(w *world) []string {
	var out []string
	for i, text := range texts(w, pageID) {
		out = append(out, w.notion.Children(pageID)[i]["type"].(string)+" "+text)
	}
	return out
}
