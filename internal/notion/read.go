package notion

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/visen/visen/internal/convert/notion2md"
	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/notionurl"
)

// MaxPageBlocks is the most blocks ReadPage reads from one page.
const MaxPageBlocks = 5000

// readWorkers is how many parents' children are read at once. The
// transport's rate limit sets the pace; reading a few parents at a time
// keeps each request's round trip out of the total.
const readWorkers = 4

// PageRead is a page's content as ReadPage found it.
type PageRead struct {
	// Blocks are the page's blocks, each with its children.
	Blocks []notion2md.Block
	// Count is how many blocks were read, at every depth.
	Count int
	// Requests is how many list requests the read took, and LowerBound
	// the fewest Notion allows: one per 100 children of each parent read
	// (and one for an empty page).
	Requests, LowerBound int
	// Markdown says the page came whole from Notion's markdown endpoint:
	// its blocks carry no IDs but a child page's.
	Markdown bool
}

// TooLargeError is a page with more blocks than ReadPage reads.
type TooLargeError struct {
	Max int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the page has more than %d blocks", e.Max)
}

// Code is the stable name the popup receives.
func (e *TooLargeError) Code() string { return "page_too_large" }

// Message is the sentence a person reads.
func (e *TooLargeError) Message() string {
	return fmt.Sprintf("This page has more than %d blocks, more than Visen reads at once. Split it into smaller pages, or select the blocks to work on.", e.Max)
}

// BlockNotOnPageError is an up-to block that is not on the page.
type BlockNotOnPageError struct {
	ID string
}

func (e *BlockNotOnPageError) Error() string {
	return "block " + e.ID + " is not on the page"
}

// Code is the stable name the popup receives.
func (e *BlockNotOnPageError) Code() string { return "cursor_gone" }

// Message is the sentence a person reads.
func (e *BlockNotOnPageError) Message() string {
	return "The block your cursor was in is no longer on this page. Click into the page again, then retry."
}

// ReadOption changes what ReadPage reads.
type ReadOption func(*readOptions)

type readOptions struct {
	upTo string
}

// UpTo stops the read after the top-level block holding the block id (the
// block itself, or one it is nested in), reading nothing after it.
func UpTo(id string) ReadOption {
	return func(o *readOptions) { o.upTo = id }
}

// ReadPage reads a page's blocks, 100 at a time, and the children of every
// block that has them, in the fewest requests Notion allows. Child pages
// and databases are not descended into: they are pages of their own.
func (c *Client) ReadPage(ctx context.Context, pageID string, opts ...ReadOption) (*PageRead, error) {
	var o readOptions
	for _, opt := range opts {
		opt(&o)
	}
	r := &reader{c: c}
	top, found, err := r.children(ctx, pageID, notionurl.PlainID(o.upTo))
	if err != nil {
		return nil, withObject(err, "page")
	}
	if err := r.descend(ctx, top); err != nil {
		return nil, err
	}
	if o.upTo != "" && !found {
		cut := holding(top, notionurl.PlainID(o.upTo))
		if cut < 0 {
			return nil, &BlockNotOnPageError{ID: o.upTo}
		}
		top = top[:cut+1]
	}
	return &PageRead{Blocks: top, Count: count(top), Requests: r.requests, LowerBound: max(1, r.lowerBound)}, nil
}

// reader is one page read; it counts requests and blocks as they come.
type reader struct {
	c          *Client
	mu         sync.Mutex
	requests   int
	lowerBound int
	blocks     int
}

type childrenPage struct {
	Results    []json.RawMessage `json:"results"`
	NextCursor *string           `json:"next_cursor"`
	HasMore    bool              `json:"has_more"`
}

// children reads all of a parent's children. With stopAt, it stops after
// the child of that id and reports whether it was found.
func (r *reader) children(ctx context.Context, parent, stopAt string) ([]notion2md.Block, bool, error) {
	var out []notion2md.Block
	cursor := ""
	for {
		path := "blocks/" + url.PathEscape(parent) + "/children?page_size=" + fmt.Sprint(limits.ChildrenPerRequest)
		if cursor != "" {
			path += "&start_cursor=" + url.QueryEscape(cursor)
		}
		var page childrenPage
		err := r.c.call(ctx, http.MethodGet, path, nil, &page)
		r.mu.Lock()
		r.requests++
		r.mu.Unlock()
		if err != nil {
			return nil, false, Classify("read page", err)
		}
		blocks, err := notion2md.DecodeList(page.Results)
		if err != nil {
			return nil, false, &Error{Kind: KindUnavailable, Op: "read page", Err: err}
		}
		if err := r.counted(len(blocks)); err != nil {
			return nil, false, err
		}
		for i, b := range blocks {
			if stopAt != "" && notionurl.PlainID(b.ID) == stopAt {
				r.bound(len(out) + i + 1)
				return append(out, blocks[:i+1]...), true, nil
			}
		}
		out = append(out, blocks...)
		if !page.HasMore || page.NextCursor == nil {
			r.bound(len(out))
			return out, false, nil
		}
		cursor = *page.NextCursor
	}
}

// counted adds read blocks to the page's count, refusing a page past the
// most ReadPage reads.
func (r *reader) counted(n int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.blocks += n
	if r.blocks > MaxPageBlocks {
		return &TooLargeError{Max: MaxPageBlocks}
	}
	return nil
}

// bound adds a parent of n children to the lower bound.
func (r *reader) bound(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lowerBound += (n + limits.ChildrenPerRequest - 1) / limits.ChildrenPerRequest
}

// descend reads the children of every block under blocks that has them,
// one level at a time, a few parents at once.
func (r *reader) descend(ctx context.Context, blocks []notion2md.Block) error {
	level := parents(blocks)
	for len(level) > 0 {
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			first error
			next  []*notion2md.Block
			work  = make(chan *notion2md.Block)
		)
		levelCtx, cancel := context.WithCancel(ctx)
		for range min(readWorkers, len(level)) {
			wg.Go(func() {
				for b := range work {
					kids, _, err := r.children(levelCtx, b.ID, "")
					mu.Lock()
					if err != nil && first == nil {
						first = err
						cancel()
					}
					if err == nil {
						b.Children = kids
						next = append(next, parents(b.Children)...)
					}
					mu.Unlock()
				}
			})
		}
	feed:
		for _, b := range level {
			select {
			case work <- b:
			case <-levelCtx.Done():
				break feed
			}
		}
		close(work)
		wg.Wait()
		cancel()
		if first != nil {
			return first
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		level = next
	}
	return nil
}

// parents are the blocks whose children a read fetches: those that have
// them and are not pages or databases of their own.
func parents(blocks []notion2md.Block) []*notion2md.Block {
	var out []*notion2md.Block
	for i := range blocks {
		b := &blocks[i]
		if b.HasChildren && len(b.Children) == 0 && b.Type != "child_page" && b.Type != "child_database" {
			out = append(out, b)
		}
	}
	return out
}

// holding is the index of the top-level block that is the block id or
// holds it, or -1.
func holding(top []notion2md.Block, id string) int {
	for i, b := range top {
		if contains(b, id) {
			return i
		}
	}
	return -1
}

func contains(b notion2md.Block, id string) bool {
	if notionurl.PlainID(b.ID) == id {
		return true
	}
	for _, k := range b.Children {
		if contains(k, id) {
			return true
		}
	}
	return false
}

func count(blocks []notion2md.Block) int {
	n := len(blocks)
	for _, b := range blocks {
		n += count(b.Children)
	}
	return n
}
