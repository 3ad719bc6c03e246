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
	"regexp"
	"strings"
	"time"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/mdnotion"
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
	// Written holds the IDs of the top-level blocks written, in order, and
	// Sums a digest of each one's content, to notice one the final text
	// changed.
	Written []string `json:"written"`
	Sums    []string `json:"sums"`
	// Blocks counts the blocks confirmed in Notion, nested ones included.
	Blocks int `json:"blocks"`
	// Requests counts the Notion requests sent.
	Requests int `json:"requests"`
	// NoHeading4 carries the workspace's refusal of heading_4 from one
	// batch to the next, so it is met once a job.
	NoHeading4 bool `json:"noHeading4,omitempty"`
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
	Plan  *writer.Plan  `json:"plan"`
	State *writer.State `json:"state"`
}

// Job is what a run needs: the provider, the writer, where to write.
type Job struct {
	AI      *ai.Client
	Request ai.Request
	Writer  *writer.Writer
	Target  writer.Target
	// Delete removes a written block; used only when the final text
	// changed a block already written (a late footnote, say).
	Delete func(ctx context.Context, id string) error
	// NewPage, when set, makes the page to write into just before the
	// first write, titled Title or, when that is empty, by the text's first
	// heading, which then is not repeated in the body. It may keep what it
	// needs to make the page exactly once in the snapshot's Creating.
	NewPage func(ctx context.Context, creating *Creating, title string) (pageID string, err error)
	Title   string
	// OnUpdate receives the snapshot after every change.
	OnUpdate func(Snapshot)
	// Every is how often settled blocks are written while the model
	// writes: the first at once, the rest gathered into one request at
	// most this often. Zero means DefaultEvery.
	Every time.Duration
}

// DefaultEvery gathers a second of settled blocks into each request, so a
// long answer costs a few requests rather than one per paragraph.
const DefaultEvery = time.Second

// Run generates (unless the snapshot's text is complete) and writes, from
// snap. It returns ctx's error when cancelled, with snap still valid for a
// later Run.
func (j *Job) Run(ctx context.Context, snap *Snapshot) error {
	update := func() {
		if j.OnUpdate != nil {
			j.OnUpdate(*snap)
		}
	}
	if !snap.Generated {
		snap.Phase = Generating
		update()
		var werr error
		var lastWrite time.Time
		every := j.Every
		if every == 0 {
			every = DefaultEvery
		}
		prompt := j.Request
		if snap.Markdown != "" {
			// A resumed job keeps what the model wrote and asks for the rest.
			prompt.Prompt += "\n\nContinue exactly where this draft stops, without repeating it:\n\n" + snap.Markdown
		}
		_, err := j.AI.Stream(ctx, prompt, func(delta string) {
			snap.Markdown += delta
			update()
			if werr == nil && time.Since(lastWrite) >= every {
				written := len(snap.Written)
				werr = j.flush(ctx, snap, false)
				if len(snap.Written) > written {
					lastWrite = time.Now()
				}
				update()
			}
		})
		if err != nil {
			return err
		}
		// A failed write does not stop the model: the draft is kept whole,
		// and a retry only writes.
		snap.Generated = true
		if werr != nil {
			return werr
		}
	}
	snap.Phase = Writing
	update()
	if err := j.flush(ctx, snap, true); err != nil {
		return err
	}
	snap.Phase = Done
	update()
	return nil
}

var fence = regexp.MustCompile("(?m)^ {0,3}(```|~~~)")

// stableText is the part of the draft whose blocks cannot change any more,
// short of a late footnote or link definition: up to the last blank line
// outside a code fence.
func stableText(md string) string {
	cut := strings.LastIndex(md, "\n\n")
	for cut > 0 && len(fence.FindAllStringIndex(md[:cut], -1))%2 == 1 {
		cut = strings.LastIndex(md[:cut], "\n\n")
	}
	if cut < 0 {
		return ""
	}
	return md[:cut]
}

// flush writes the blocks that are settled. Until the end, the last block
// of the settled text is held back, as the next line may still extend it.
func (j *Job) flush(ctx context.Context, snap *Snapshot, final bool) error {
	var blocks []notionapi.Block
	if final {
		blocks = mdnotion.Convert([]byte(snap.Markdown))
	} else {
		blocks = mdnotion.Convert([]byte(stableText(snap.Markdown)))
		if len(blocks) > 0 {
			blocks = blocks[:len(blocks)-1]
		}
	}
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
		if err := j.reconcile(ctx, snap, blocks); err != nil {
			return err
		}
	}
	if snap.Batch == nil {
		if len(blocks) <= len(snap.Written) {
			return nil
		}
		plan, err := writer.NewPlan(blocks[len(snap.Written):])
		if err != nil {
			return err
		}
		var sums []string
		for _, blk := range blocks[len(snap.Written):] {
			sums = append(sums, digest(blk))
		}
		snap.Batch = &Batch{Sums: sums, Plan: plan, State: &writer.State{NoHeading4: snap.NoHeading4}}
	}
	b := snap.Batch
	if len(snap.Written) > 0 {
		target.After = snap.Written[len(snap.Written)-1]
	}
	sentBefore, confirmedBefore := b.State.Sent, b.State.Confirmed
	err := j.Writer.Write(ctx, b.Plan, target, b.State)
	snap.NoHeading4 = b.State.NoHeading4
	snap.Requests += b.State.Sent - sentBefore
	snap.Blocks += b.State.Confirmed - confirmedBefore
	if err != nil {
		return err
	}
	for i, r := range b.Plan.Requests {
		if r.Parent == nil {
			snap.Written = append(snap.Written, b.State.IDs[i]...)
		}
	}
	snap.Sums = append(snap.Sums, b.Sums...)
	snap.Warnings = append(snap.Warnings, b.State.Warnings...)
	snap.Batch = nil
	if final {
		return j.flush(ctx, snap, true)
	}
	return nil
}

// reconcile makes sure the blocks written so far are the first blocks of
// the final conversion. Where the finished text changed one (a footnote
// defined late turns [^1] into [1]), the blocks from there on are removed
// and written again.
func (j *Job) reconcile(ctx context.Context, snap *Snapshot, final []notionapi.Block) error {
	if snap.Batch != nil || len(snap.Written) == 0 {
		return nil
	}
	same := 0
	for same < len(snap.Written) && same < len(final) && snap.Sums[same] == digest(final[same]) {
		same++
	}
	if same == len(snap.Written) {
		return nil
	}
	for i := len(snap.Written) - 1; i >= same; i-- {
		if err := j.Delete(ctx, snap.Written[i]); err != nil {
			return err
		}
		snap.Requests++
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
		case *mdnotion.Heading4Block:
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
