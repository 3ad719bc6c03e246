package writer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/notion"
)

// Target is where a tree goes: into a page or block, at the end or after
// one of its children.
type Target struct {
	ParentID string `json:"parentId"`
	// After is the child to insert after; empty appends at the end.
	After string `json:"after,omitempty"`
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

// Writer sends a plan through one Notion client.
type Writer struct {
	notion     *notion.Client
	onProgress func(Progress)
	// attempts bounds how often one request is re-sent after ambiguous
	// failures; the transport has already waited out each one.
	attempts int
}

// New makes a writer sending through hc (whose transport should be a
// notion.Transport) with the integration secret. onProgress may be nil.
func New(hc *http.Client, secret string, onProgress func(Progress)) *Writer {
	if onProgress == nil {
		onProgress = func(Progress) {}
	}
	return &Writer{
		notion:     notion.New(hc, secret),
		onProgress: onProgress,
		attempts:   8,
	}
}

// Write runs the plan from state (a zero State starts from the beginning)
// and updates state as requests are confirmed. On error, state is the
// resume point.
func (w *Writer) Write(ctx context.Context, p *Plan, t Target, state *State) error {
	for state.Next < len(p.Requests) {
		i := state.Next
		req := p.Requests[i]
		parent, after, err := w.place(p, t, state, req)
		if err != nil {
			return err
		}
		ids, err := w.send(ctx, parent, after, req, state)
		if err != nil {
			return err
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

// place finds a request's parent ID and the block it goes after.
func (w *Writer) place(p *Plan, t Target, state *State, req Request) (string, string, error) {
	if req.Parent == nil {
		after := state.Last
		if after == "" {
			after = t.After
		}
		return t.ParentID, after, nil
	}
	ref := *req.Parent
	if ref.Request >= len(state.IDs) || ref.Index >= len(state.IDs[ref.Request]) {
		return "", "", fmt.Errorf("writer: the resume point does not match the plan")
	}
	return state.IDs[ref.Request][ref.Index], "", nil
}

// send appends one request's blocks exactly once and returns their IDs.
// After an ambiguous failure it reads the parent back before sending again;
// after a validation error it writes the refused block in a safe form.
func (w *Writer) send(ctx context.Context, parent, after string, req Request, state *State) ([]string, error) {
	children := withoutHeading4(req.Children, state)
	for attempt := 0; ; attempt++ {
		state.Sent++
		made, err := w.notion.AppendChildren(ctx, parent, after, children)
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
		if bad, ok := refusedBlock(err, len(children)); ok {
			state.Warnings = append(state.Warnings, fmt.Sprintf("Notion refused a %s block; it was written as plain text.", children[bad]["type"]))
			children = append(append(append([]map[string]any{}, children[:bad]...), safe(children[bad])), children[bad+1:]...)
			continue
		}
		if !ambiguous(err) || attempt >= w.attempts {
			return nil, classify(err)
		}
		ids, landed, rerr := w.readBack(ctx, parent, after, children, state)
		if rerr != nil {
			return nil, classify(rerr)
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
	if errors.As(classify(err), &ne) {
		return ne.Kind == notion.KindNetwork || ne.Kind == notion.KindUnavailable
	}
	return false
}

// classify types an append's failure. Notion refuses an append with 403
// when the integration may read but not insert.
func classify(err error) error {
	err = notion.Classify("append blocks", err)
	var ne *notion.Error
	if errors.As(err, &ne) && ne.Kind == notion.KindRestricted {
		ne.Kind = notion.KindNoInsert
	}
	return err
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
	all := strings.Join(texts, "\n")
	var items []any
	for _, part := range chunks(all, 2000) {
		items = append(items, map[string]any{"type": "text", "text": map[string]any{"content": part}})
		if len(items) == 100 {
			break
		}
	}
	return map[string]any{"object": "block", "type": "paragraph", "paragraph": map[string]any{"rich_text": items}}
}

func chunks(s string, max int) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 {
		n := min(len(r), max/2)
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return out
}
