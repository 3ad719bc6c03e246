package writer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notion/limits"
)

// Place is where a tree goes: into a page or block, at the end or after
// one of its children.
type Place struct {
	ParentID string `json:"parentId"`
	// After is the child to insert after; empty appends at the end.
	After string `json:"after,omitempty"`
	// Anchored says After was read from the target before anything was
	// written there, so it is exact even when empty (the target was empty):
	// whatever follows it was written by this job.
	Anchored bool `json:"anchored,omitempty"`
	// Start puts the blocks at the very top of the target: the first
	// request goes before its first child, the later ones after the last
	// block written (After, when a plan goes on from an earlier one).
	// With Anchored, Before is the child that was first before anything
	// was written ("" for an empty target): whatever stands above it was
	// written by this job.
	Start  bool   `json:"start,omitempty"`
	Before string `json:"before,omitempty"`
}

// LastChild is the ID of the parent's last child ("" when it has none),
// and the requests reading it took: a job that appends at the end reads it
// before writing anything, and keeps it, so that even a resume point saved
// before the first write knows where its blocks start.
func (w *Writer) LastChild(ctx context.Context, parent string) (string, int, error) {
	var read State
	kids, err := w.children(ctx, parent, "", "", &read)
	if err != nil {
		return "", read.Sent, notion.Writing(err)
	}
	if len(kids) == 0 {
		return "", read.Sent, nil
	}
	return blockID(kids[len(kids)-1]), read.Sent, nil
}

// FirstChild is the ID of the parent's first child ("" when it has none),
// read in one request: a job that writes at the top reads it before
// writing anything, and keeps it, so that even a resume point saved before
// the first write knows where its blocks end.
func (w *Writer) FirstChild(ctx context.Context, parent string) (string, error) {
	kids, _, err := w.notion.ChildrenPage(ctx, parent, "")
	if err != nil {
		return "", notion.Writing(err)
	}
	if len(kids) == 0 {
		return "", nil
	}
	return blockID(kids[0]), nil
}

// State is the writer's resume point. It is plain JSON, so a job can store
// it and resume in another process with nothing written twice.
type State struct {
	// Next is the index of the first request not yet confirmed.
	Next int `json:"next"`
	// IDs holds, per confirmed request, the IDs of its top-level blocks.
	IDs [][]string `json:"ids"`
	// Last is the last top-level block written into the target.
	Last string `json:"last,omitempty"`
	// Anchored is set once the target was read before the first send:
	// Base is then the block the writing goes after ("" for the start of
	// an empty page) and Follower the block that followed it ("" for the
	// end). Whatever stands between them was written by this state.
	Anchored bool   `json:"anchored,omitempty"`
	Base     string `json:"base,omitempty"`
	Follower string `json:"follower,omitempty"`
	// Confirmed counts the blocks known to be in Notion.
	Confirmed int `json:"confirmed"`
	// Sent counts the requests sent, retries and read-backs included.
	Sent int `json:"sent"`
	// Warnings say which blocks were written in a safe form instead.
	Warnings []string `json:"warnings,omitempty"`
	// NoHeading4 is set once the workspace has refused heading_4: the
	// rest of the job writes heading_3 instead.
	NoHeading4 bool `json:"noHeading4,omitempty"`
}

// Progress is reported after every confirmed request.
type Progress struct {
	Confirmed int `json:"confirmed"`
	Total     int `json:"total"`
	Sent      int `json:"sent"`
}

// Writer sends plans through one Notion client. It holds only what does
// not change while it writes, so one Writer serves many writes at once:
// what a write learns lives in its Session.
type Writer struct {
	notion *notion.Client
	// attempts bounds how often one request is re-sent after ambiguous
	// failures; the transport has already waited out each one.
	attempts int
	// defaults are the options every session starts with.
	defaults []Option
}

// Session is one job's writing through a Writer: what it learns about
// its targets is kept from one plan to the next, and shared with no other
// job.
type Session struct {
	*Writer
	onProgress func(Progress)
	// verify is set while resuming from a state that may be stale: each
	// request is first looked for in the parent, until one is not there.
	verify bool
	// followers remembers, per target, the block that followed the place
	// this session writes at, so later plans to the same place need no
	// second look.
	followers map[string]string
	// pause is the first wait after an append that may or may not have
	// been applied, before reading the parent back: Notion may apply an
	// append a moment after answering 502 or 504 for it. Each further
	// attempt doubles it, up to eight times the first, so a Notion that
	// keeps failing is given up on within a minute.
	pause time.Duration
}

// Option changes how a session writes.
type Option func(*Session)

// Resuming makes the session trust nothing it was told about earlier
// writes: before sending each request, it reads the parent after the last
// known block and takes the blocks already there that match the plan, until
// the first request that is not there.
func Resuming() Option {
	return func(s *Session) { s.verify = true }
}

// OnProgress has f called after every confirmed request.
func OnProgress(f func(Progress)) Option {
	return func(s *Session) {
		if f != nil {
			s.onProgress = f
		}
	}
}

// PauseBeforeReadBack sets the first wait between an append whose outcome
// is unknown and the read-back that finds out.
func PauseBeforeReadBack(d time.Duration) Option {
	return func(s *Session) { s.pause = d }
}

// DefaultPause is the first wait before reading back an append whose
// outcome is unknown: a gateway's 504 can come before Notion has applied
// the request it gave up waiting for.
const DefaultPause = time.Second

// New makes a writer sending through hc (whose transport should be a
// notion.Transport) with the integration secret. onProgress may be nil;
// opts apply to every session.
func New(hc *http.Client, secret string, onProgress func(Progress), opts ...Option) *Writer {
	return &Writer{
		notion:   notion.New(hc, secret),
		attempts: 8,
		defaults: append([]Option{OnProgress(onProgress)}, opts...),
	}
}

// Session starts a job's writing, with the writer's options then opts.
func (w *Writer) Session(opts ...Option) *Session {
	s := &Session{Writer: w, onProgress: func(Progress) {}, followers: map[string]string{}, pause: DefaultPause}
	for _, o := range w.defaults {
		o(s)
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// spot is where a request's blocks go: into parent, after the block
// `after` (or, with none, after the parent's first `skip` children, or at
// its very top when start is set), and before the block `until` that was
// there before anything was sent ("" for the end).
type spot struct {
	parent, after, until string
	skip                 int
	start                bool
}

// Write runs the plan in a session of its own; see Session.Write.
func (w *Writer) Write(ctx context.Context, p *Plan, t Place, state *State) error {
	return w.Session().Write(ctx, p, t, state)
}

// Write runs the plan from state (a zero State starts from the beginning)
// and updates state as requests are confirmed. On error, state is the
// resume point.
func (w *Session) Write(ctx context.Context, p *Plan, t Place, state *State) error {
	for state.Next < len(p.Requests) {
		i := state.Next
		req := p.Requests[i]
		at, err := w.place(ctx, p, t, state, i)
		if err != nil {
			return err
		}
		var ids []string
		if w.verify {
			got, landed, err := w.readBack(ctx, at, req.Children, state)
			if err != nil {
				return notion.Writing(err)
			}
			if landed {
				ids = got
			} else {
				// Requests go one after another: nothing after the first
				// missing one can have landed.
				w.verify = false
			}
		}
		if ids == nil {
			if ids, err = w.send(ctx, at, req, state); err != nil {
				return err
			}
		}
		state.IDs = append(state.IDs[:i], ids)
		if req.Parent == nil {
			state.Last = ids[len(ids)-1]
		}
		state.Next++
		state.Confirmed += req.Blocks
		w.onProgress(Progress{Confirmed: state.Confirmed, Total: p.Blocks, Sent: state.Sent})
	}
	return nil
}

// place finds where request i goes. Before the first request to the
// target, it reads the target once, so that a read-back never takes a block
// that was there before for one it wrote.
func (w *Session) place(ctx context.Context, p *Plan, t Place, state *State, i int) (spot, error) {
	req := p.Requests[i]
	if req.Parent == nil {
		if !state.Anchored {
			if err := w.anchor(ctx, t, state); err != nil {
				return spot{}, err
			}
		}
		after := state.Last
		if after == "" {
			after = state.Base
		}
		return spot{parent: t.ParentID, after: after, until: state.Follower, start: t.Start && after == ""}, nil
	}
	ref := *req.Parent
	if ref.Request >= len(state.IDs) || ref.Index >= len(state.IDs[ref.Request]) {
		return spot{}, &ResumeError{Reason: "a block's parent was never written"}
	}
	at := spot{parent: state.IDs[ref.Request][ref.Index]}
	// The parent was made by this plan: what it holds is either what went
	// inline with it or what an earlier request to it wrote.
	for j := i - 1; j >= 0; j-- {
		if prev := p.Requests[j].Parent; prev != nil && *prev == ref {
			if j >= len(state.IDs) || len(state.IDs[j]) == 0 {
				return spot{}, &ResumeError{Reason: "a request's blocks were never recorded"}
			}
			at.after = state.IDs[j][len(state.IDs[j])-1]
			return at, nil
		}
	}
	if ref.Request < len(p.Requests) && ref.Index < len(p.Requests[ref.Request].Children) {
		at.skip = inlineCount(p.Requests[ref.Request].Children[ref.Index])
	}
	return at, nil
}

// anchor records where writing into the target starts: after t.After, or
// after the target's last child, and before the block that follows. A
// resuming writer only trusts what it knows: the block that follows now
// may be one it wrote before, so it sets no end.
func (w *Session) anchor(ctx context.Context, t Place, state *State) error {
	state.Anchored, state.Base, state.Follower = true, t.After, ""
	if t.Start && t.Anchored {
		state.Follower = t.Before
		return nil
	}
	if f, ok := w.followers[t.ParentID]; ok {
		state.Follower = f
		return nil
	}
	if t.Anchored || (w.verify && (t.After != "" || t.Start)) {
		return nil
	}
	// With no anchor at all there is nothing to look for: start afresh.
	w.verify = false
	if t.Start || t.After != "" {
		// One page of children holds the block that follows: at the start,
		// the first child, which the job's blocks go above; otherwise the
		// one after After, from which the page is read. The rest of the
		// page does not matter.
		from, follows := t.After, 1
		if t.Start {
			from, follows = "", 0
		}
		state.Sent++
		kids, _, err := w.notion.ChildrenPage(ctx, t.ParentID, from)
		if err != nil {
			return notion.Writing(err)
		}
		if len(kids) > follows {
			state.Follower = blockID(kids[follows])
		}
		w.followers[t.ParentID] = state.Follower
		return nil
	}
	kids, err := w.children(ctx, t.ParentID, "", "", state)
	if err != nil {
		return notion.Writing(err)
	}
	if len(kids) > 0 {
		state.Base = blockID(kids[len(kids)-1])
	}
	w.followers[t.ParentID] = state.Follower
	return nil
}

// ResumeError is a resume point that does not fit the plan it came with.
type ResumeError struct {
	Reason string
}

func (e *ResumeError) Error() string {
	return "writer: the resume point does not match the plan: " + e.Reason
}

// inlineCount is how many children a planned block carries inline.
func inlineCount(block map[string]any) int {
	typ, _ := block["type"].(string)
	body, _ := block[typ].(map[string]any)
	kids, _ := body["children"].([]any)
	return len(kids)
}

// send appends one request's blocks exactly once and returns their IDs.
// After an ambiguous failure it reads the parent back before sending again;
// after a validation error it writes the refused block in a safe form, once
// per block: a block refused in its safe form too is a validation error.
func (w *Session) send(ctx context.Context, at spot, req Request, state *State) ([]string, error) {
	children := withoutHeading4(req.Children, state)
	healed := map[int]bool{}
	for attempt := 0; ; {
		state.Sent++
		var made notion.Blocks
		var err error
		if at.start {
			made, err = w.notion.AppendAtStart(ctx, at.parent, children)
		} else {
			made, err = w.notion.AppendChildren(ctx, at.parent, at.after, children)
		}
		if err == nil {
			return idsOf(made), nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if refusesHeading4(err) && !state.NoHeading4 {
			state.NoHeading4 = true
			children = withoutHeading4(children, state)
			continue
		}
		if bad, ok := refusedBlock(err, len(children)); ok && !healed[bad] {
			healed[bad] = true
			state.Warnings = append(state.Warnings, fmt.Sprintf("Notion refused a %s block; it was written as plain text.", children[bad]["type"]))
			children = append(append(append([]map[string]any{}, children[:bad]...), safe(children[bad])), children[bad+1:]...)
			continue
		}
		if !ambiguous(err) || attempt >= w.attempts {
			return nil, notion.Writing(err)
		}
		attempt++
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(w.pause << min(attempt-1, 3)):
		}
		ids, landed, rerr := w.readBack(ctx, at, children, state)
		if rerr != nil {
			return nil, notion.Writing(rerr)
		}
		if landed {
			return ids, nil
		}
	}
}

func idsOf(blocks notion.Blocks) []string {
	ids := make([]string, len(blocks))
	for i, b := range blocks {
		ids[i], _ = b["id"].(string)
	}
	return ids
}

// ambiguous reports a failure after which the request may or may not have
// been applied: the connection failed, or Notion answered 5xx.
func ambiguous(err error) bool {
	var ne *notion.Error
	if errors.As(err, &ne) {
		return ne.Kind == notion.KindNetwork || ne.Kind == notion.KindUnavailable
	}
	return false
}

var childIndex = regexp.MustCompile(`body\.children\[(\d+)\]`)

// refusedBlock finds the block a validation error names.
func refusedBlock(err error, n int) (int, bool) {
	var api *notionapi.Error
	if !errors.As(err, &api) || api.Code != "validation_error" {
		return 0, false
	}
	m := childIndex.FindStringSubmatch(api.Message)
	if m == nil {
		return 0, false
	}
	i, convErr := strconv.Atoi(m[1])
	if convErr != nil || i >= n {
		return 0, false
	}
	return i, true
}

// safe is a paragraph holding a block's text, and its children's, which
// Notion takes whatever the block was.
func safe(block map[string]any) map[string]any {
	var texts []string
	var collect func(b map[string]any)
	collect = func(b map[string]any) {
		if t := text(b); t != "" {
			texts = append(texts, t)
		}
		typ, _ := b["type"].(string)
		if body, ok := b[typ].(map[string]any); ok {
			if kids, ok := body["children"].([]any); ok {
				for _, k := range kids {
					if km, ok := k.(map[string]any); ok {
						collect(km)
					}
				}
			}
		}
	}
	collect(block)
	var parts []string
	if all := strings.Join(texts, "\n"); all != "" {
		parts = limits.SplitUTF16(all, limits.TextContent)
	}
	para := func(parts []string) map[string]any {
		items := make([]any, len(parts))
		for i, part := range parts {
			items[i] = map[string]any{"type": "text", "text": map[string]any{"content": part}}
		}
		return map[string]any{"object": "block", "type": "paragraph", "paragraph": map[string]any{"rich_text": items}}
	}
	// The first paragraph holds what one rich-text array can; the rest of
	// the text follows in paragraphs inside it, so the block stays one
	// block of its request and nothing is cut.
	head := para(parts[:min(len(parts), limits.RichTextItems)])
	var rest []any
	for parts = parts[min(len(parts), limits.RichTextItems):]; len(parts) > 0; parts = parts[min(len(parts), limits.RichTextItems):] {
		rest = append(rest, para(parts[:min(len(parts), limits.RichTextItems)]))
	}
	if len(rest) > 0 {
		head["paragraph"].(map[string]any)["children"] = rest
	}
	return head
}
