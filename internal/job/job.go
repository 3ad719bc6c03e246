// Package job runs one generation: it streams the model's Markdown, writes
// the blocks that can no longer change into Notion while the model is still
// writing, and finishes with exactly what converting the whole answer at once
// gives. Its Snapshot is plain JSON: the popup shows it, and a failed job
// resumes from it with nothing written twice.
package job

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/writer"
)

// Phase is where a job stands.
type Phase string

// The phases of a job.
const (
	Generating Phase = "generating"
	Writing    Phase = "writing"
	Done       Phase = "done"
	Cancelled  Phase = "cancelled"
	Failed     Phase = "failed"
)

// Snapshot is a job's whole state.
type Snapshot struct {
	Phase Phase `json:"phase"`
	// Markdown is the text generated so far: the draft, kept until written.
	Markdown string `json:"markdown"`
	// Generated is true once the model has finished.
	Generated bool `json:"generated"`
	// Written holds the IDs of the top-level blocks written, in order,
	// Sums a digest of each one's content, to notice one the final text
	// changed, and Sizes how many blocks each is with its nested ones.
	Written []string `json:"written"`
	Sums    []string `json:"sums"`
	Sizes   []int    `json:"sizes"`
	// Blocks counts the blocks on the page now, nested ones included.
	Blocks int `json:"blocks"`
	// Requests counts the Notion requests sent, Deleted the written
	// blocks the final text made Visen take back.
	Requests int `json:"requests"`
	// NoHeading4 carries the workspace's refusal of heading_4 from one
	// batch to the next, so it is met once a job.
	NoHeading4 bool `json:"noHeading4,omitempty"`
	Deleted    int  `json:"deleted,omitempty"`
	// Batch is the write under way: the top-level blocks from index From
	// of the conversion, its plan and the writer's resume point.
	Batch    *Batch   `json:"batch,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// PageID is the page a job that makes its own page made, Title its
	// title, and Skip how many leading blocks became that title.
	PageID string `json:"pageId,omitempty"`
	Title  string `json:"title,omitempty"`
	Skip   int    `json:"skip,omitempty"`
	// Creating is set once a page is asked for, until Notion names it.
	Creating *Creating `json:"creating,omitempty"`
	// Before is, for a job writing at the top of its page, the block that
	// was first there before the job wrote anything ("" for an empty
	// page): the job's blocks are the ones above it.
	Before string `json:"before,omitempty"`
	// Anchored says where the job's blocks go was read from the target
	// before anything was written (see Ready): after After ("" for an
	// empty target) or, at the top, above Before. Whatever stands between
	// is the job's.
	Anchored bool   `json:"anchored,omitempty"`
	After    string `json:"after,omitempty"`
}

// clone is a deep copy without the Markdown, safe to hand to another
// goroutine while the job goes on changing its own.
func (s *Snapshot) clone() *Snapshot {
	bare := *s
	bare.Markdown = ""
	raw, err := json.Marshal(&bare)
	c := &Snapshot{}
	if err == nil && json.Unmarshal(raw, c) == nil {
		return c
	}
	bare.Batch = nil
	return &bare
}

// Creating is a page being made: the pages with its title that were there
// before, so that after an answer lost on the way the new one can be told
// apart and nothing is made twice.
type Creating struct {
	Existing []string `json:"existing"`
	// Asked is set while a request to make the page may have been applied.
	Asked bool `json:"asked"`
}

// Batch is one write of consecutive top-level blocks.
type Batch struct {
	Sums  []string      `json:"sums"`
	Sizes []int         `json:"sizes"`
	Plan  *writer.Plan  `json:"plan"`
	State *writer.State `json:"state"`
}

// Update is what changed since the previous update. It stays small, so
// that what a token costs does not grow with the answer.
type Update struct {
	Phase Phase `json:"phase"`
	// Text is the text the model added.
	Text string `json:"text,omitempty"`
	// Blocks are the top-level blocks that settled, as Notion's append
	// API takes them, the first being the From-th of the answer.
	From   int               `json:"from"`
	Blocks []notionapi.Block `json:"blocks,omitempty"`
	// TailFrom is where the Markdown not yet settled starts, counted in
	// UTF-16 code units as JavaScript counts the same text.
	TailFrom int `json:"tailFrom"`
	// OnPage counts the blocks on the page now, nested ones included.
	OnPage   int `json:"onPage"`
	Requests int `json:"requests"`
	// Snapshot is the state to resume from, attached when the phase
	// changes and at most every SnapshotEvery otherwise. Its Markdown is
	// left out, so that it does not grow with the answer: the updates'
	// Text adds up to it.
	Snapshot *Snapshot `json:"snapshot,omitempty"`
}

// SnapshotEvery is how often at most a running job hands out its whole
// state while its phase stays the same.
const SnapshotEvery = 300 * time.Millisecond

// Job is what a run needs: the provider, the writer, where to write.
type Job struct {
	AI      *ai.Client
	Request ai.Request
	// Answer, when set, is an answer already generated: the job takes it
	// as the model's whole text, reports it as its text, and never calls
	// the model (AI may be nil).
	Answer string
	// Writer writes the answer; nil only shows it: the job generates,
	// reports and finishes without a Notion request.
	Writer *writer.Writer
	// Target and Options are what Ready gives: where the job writes, and
	// how its writing session goes on from the snapshot.
	Target  writer.Place
	Options []writer.Option
	// Delete removes a written block; used only when the final text
	// changed a block already written, which settling prevents.
	Delete func(ctx context.Context, id string) error
	// NewPage, when set, makes the page to write into just before the
	// first write, titled Title or, when that is empty, by the text's first
	// heading, which then is not repeated in the body. It may keep what it
	// needs to make the page exactly once in the snapshot's Creating.
	NewPage func(ctx context.Context, creating *Creating, title string) (pageID string, err error)
	Title   string
	// OnUpdate receives what changed after every change.
	OnUpdate func(Update)
	// Every is how often settled blocks are written while the model
	// writes: the first at once, the rest gathered into one request at
	// most this often. Zero means DefaultEvery.
	Every time.Duration
}

// DefaultEvery gathers a second of settled blocks into each request, so a
// long answer costs a few requests rather than one per paragraph.
const DefaultEvery = time.Second

// run is one Run's working state.
type run struct {
	*Job
	snap *Snapshot
	// blocks are the answer's settled top-level blocks; sent of them went
	// out in updates.
	blocks   []notionapi.Block
	sent     int
	tailFrom int
	phase    Phase
	lastSnap time.Time
	// session is the job's writing, kept from one batch to the next;
	// counted brings the snapshot's counts up to the batch under way.
	session *writer.Session
	counted func()
}

// Run generates (unless the snapshot's text is complete) and writes, from
// snap. It returns ctx's error when cancelled, with snap still valid for a
// later Run.
func (j *Job) Run(ctx context.Context, snap *Snapshot) error {
	r := &run{Job: j, snap: snap}
	if j.Writer != nil {
		r.session = j.Writer.Session(append(slices.Clip(j.Options), writer.OnProgress(r.progress))...)
	}
	text := ""
	switch {
	case snap.Generated:
	case j.Answer != "":
		// Reported as one piece of text, the answer adds up for a listener
		// as a stream does.
		snap.Markdown, snap.Generated, text = j.Answer, true, j.Answer
	default:
		if err := r.generate(ctx); err != nil {
			return err
		}
	}
	final := md2notion.Convert([]byte(snap.Markdown))
	r.sent = min(r.sent, samePrefix(r.blocks, final))
	r.blocks, r.tailFrom = final, limits.UTF16Len(snap.Markdown)
	if j.Writer == nil {
		snap.Phase = Done
		r.update(text)
		return nil
	}
	snap.Phase = Writing
	r.update(text)
	if err := r.flush(ctx, true); err != nil {
		return err
	}
	snap.Phase = Done
	r.update("")
	return nil
}

// generate streams the answer, writing blocks as they settle: the first
// at once, the rest gathered at most every Every.
func (r *run) generate(ctx context.Context) error {
	snap := r.snap
	snap.Phase = Generating
	var (
		st        settler
		text      strings.Builder
		werr      error
		lastWrite time.Time
	)
	text.WriteString(snap.Markdown)
	r.blocks = st.feed(snap.Markdown)
	r.tailFrom = st.settledUnits
	r.update("")
	every := r.Every
	if every == 0 {
		every = DefaultEvery
	}
	prompt := r.Request
	if snap.Markdown != "" {
		// A resumed job keeps what the model wrote and asks for the rest.
		prompt.Prompt += "\n\nContinue exactly where this draft stops, without repeating it:\n\n" + snap.Markdown
	}
	_, err := r.AI.Stream(ctx, prompt, func(delta string) {
		// The builder grows in place: the draft is never copied whole.
		text.WriteString(delta)
		snap.Markdown = text.String()
		r.blocks = append(r.blocks, st.feed(snap.Markdown)...)
		r.tailFrom = st.settledUnits
		// The new text and blocks go out before the write, which may wait
		// for Notion's rate limit; what landed follows it.
		r.update(delta)
		if r.Writer != nil && werr == nil && r.unwritten() && (len(snap.Written) == 0 || time.Since(lastWrite) >= every) {
			requests := snap.Requests
			werr = r.flush(ctx, false)
			lastWrite = time.Now()
			if snap.Requests != requests {
				r.update("")
			}
		}
	})
	if err != nil {
		return err
	}
	// A failed write does not stop the model: the draft is kept whole,
	// and a retry only writes.
	snap.Generated = true
	return werr
}

// unwritten reports settled blocks not yet in Notion, or a write under way.
func (r *run) unwritten() bool {
	return r.snap.Batch != nil || len(r.blocks) > r.snap.Skip+len(r.snap.Written)
}

// progress hands out the snapshot after every request of a batch that
// Notion confirmed, so a resume point stored from it is never behind by
// more than a request.
func (r *run) progress(writer.Progress) {
	if r.counted != nil {
		r.counted()
	}
	r.lastSnap = time.Time{}
	r.update("")
}

// update hands out what changed, with the whole snapshot when the phase
// changed or SnapshotEvery has passed.
func (r *run) update(text string) {
	if r.OnUpdate == nil {
		return
	}
	u := Update{
		Phase: r.snap.Phase, Text: text, From: r.sent, Blocks: r.blocks[r.sent:], TailFrom: r.tailFrom,
		OnPage: r.snap.Blocks, Requests: r.snap.Requests,
	}
	r.sent = len(r.blocks)
	if u.Phase != r.phase || time.Since(r.lastSnap) >= SnapshotEvery {
		u.Snapshot = r.snap.clone()
		u.Snapshot.Markdown = ""
		r.phase, r.lastSnap = u.Phase, time.Now()
	}
	r.OnUpdate(u)
}

// samePrefix counts the leading blocks a and b have alike.
func samePrefix(a, b []notionapi.Block) int {
	n := 0
	for n < len(a) && n < len(b) && digest(a[n]) == digest(b[n]) {
		n++
	}
	return n
}

// flush writes the settled blocks not yet written; at the end, all of
// them.
func (r *run) flush(ctx context.Context, final bool) error {
	snap, j := r.snap, r.Job
	blocks := r.blocks
	target := j.Target
	if j.NewPage != nil {
		if snap.PageID == "" {
			if len(blocks) == 0 && !final {
				return nil
			}
			title, skip := j.Title, 0
			if title == "" {
				title, skip = titleOf(blocks, j.Request.Prompt)
			}
			if snap.Creating == nil {
				snap.Creating = &Creating{}
			}
			id, err := j.NewPage(ctx, snap.Creating, title)
			if err != nil {
				return err
			}
			snap.PageID, snap.Title, snap.Skip, snap.Creating = id, title, skip, nil
			snap.Requests++
		}
		blocks = blocks[min(snap.Skip, len(blocks)):]
		target.ParentID = snap.PageID
	}
	if final {
		if err := r.reconcile(ctx, blocks); err != nil {
			return err
		}
	}
	if snap.Batch == nil {
		if len(blocks) <= len(snap.Written) {
			return nil
		}
		rest := blocks[len(snap.Written):]
		plan, err := writer.NewPlan(rest)
		if err != nil {
			return err
		}
		b := &Batch{Plan: plan, State: &writer.State{NoHeading4: snap.NoHeading4}}
		for _, blk := range rest {
			b.Sums, b.Sizes = append(b.Sums, digest(blk)), append(b.Sizes, size(blk))
		}
		snap.Batch = b
	}
	b := snap.Batch
	if len(snap.Written) > 0 {
		target.After = snap.Written[len(snap.Written)-1]
	}
	requests, onPage := snap.Requests-b.State.Sent, snap.Blocks-b.State.Confirmed
	r.counted = func() {
		snap.NoHeading4 = b.State.NoHeading4
		snap.Requests, snap.Blocks = requests+b.State.Sent, onPage+b.State.Confirmed
	}
	err := r.session.Write(ctx, b.Plan, target, b.State)
	r.counted()
	r.counted = nil
	if err != nil {
		return err
	}
	for i, req := range b.Plan.Requests {
		if req.Parent == nil {
			snap.Written = append(snap.Written, b.State.IDs[i]...)
		}
	}
	snap.Sums = append(snap.Sums, b.Sums...)
	snap.Sizes = append(snap.Sizes, b.Sizes...)
	snap.Warnings = append(snap.Warnings, b.State.Warnings...)
	snap.Batch = nil
	if final {
		return r.flush(ctx, true)
	}
	return nil
}

// size counts a block with everything nested in it.
func size(b notionapi.Block) int {
	plan, err := writer.NewPlan([]notionapi.Block{b})
	if err != nil {
		return 1
	}
	return plan.Blocks
}

// reconcile makes sure the blocks written so far are the first blocks of
// the final conversion. Settling holds back whatever later text could
// change, so this takes nothing back unless a block the settler thought
// final came out differently; then the blocks from there on are removed
// and written again.
func (r *run) reconcile(ctx context.Context, final []notionapi.Block) error {
	snap := r.snap
	if snap.Batch != nil || len(snap.Written) == 0 {
		return nil
	}
	same := 0
	for same < len(snap.Written) && same < len(final) && snap.Sums[same] == digest(final[same]) {
		same++
	}
	for i := len(snap.Written) - 1; i >= same; i-- {
		if err := r.Delete(ctx, snap.Written[i]); err != nil {
			return err
		}
		snap.Requests++
		snap.Deleted++
		if i < len(snap.Sizes) {
			snap.Blocks -= snap.Sizes[i]
			snap.Sizes = snap.Sizes[:i]
		}
		snap.Written, snap.Sums = snap.Written[:i], snap.Sums[:i]
	}
	return nil
}

// titleOf names a new page: after its first block when that is a heading
// (which the title then replaces), else after the start of its first text,
// else after the prompt.
func titleOf(blocks []notionapi.Block, prompt string) (string, int) {
	if len(blocks) > 0 {
		var heading []notionapi.RichText
		switch b := blocks[0].(type) {
		case *notionapi.Heading1Block:
			heading = b.Heading1.RichText
		case *notionapi.Heading2Block:
			heading = b.Heading2.RichText
		case *notionapi.Heading3Block:
			heading = b.Heading3.RichText
		case *md2notion.Heading4Block:
			heading = b.Heading4.RichText
		case *notionapi.ParagraphBlock:
			if t := shorten(plainText(b.Paragraph.RichText)); t != "" {
				return t, 0
			}
		}
		if t := strings.TrimSpace(plainText(heading)); t != "" {
			return t, 1
		}
	}
	return shorten(prompt), 0
}

func plainText(rt []notionapi.RichText) string {
	var b strings.Builder
	for _, r := range rt {
		switch {
		case r.Text != nil:
			b.WriteString(r.Text.Content)
		case r.Equation != nil:
			b.WriteString(r.Equation.Expression)
		}
	}
	return b.String()
}

// shorten keeps a title to its first line and about 80 characters, cut
// between words.
func shorten(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	r := []rune(s)
	if len(r) <= 80 {
		return s
	}
	cut := 80
	for i := 80; i > 40; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimSpace(string(r[:cut])) + "…"
}

func digest(b notionapi.Block) string {
	raw, _ := json.Marshal(b)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:12])
}

// ErrBusy means a job is already running for the target.
var ErrBusy = errors.New("job: a job is already running for this page")
