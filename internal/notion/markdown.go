package notion

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/convert/notion2md"
	"github.com/visen/visen/internal/notionurl"
)

// Reading a whole page as Markdown, as Notion's developer documentation
// describes it ("Retrieve a page as markdown", "Working with markdown
// content" and "Enhanced markdown format"):
//
//   - GET /v1/pages/{page_id}/markdown, on Notion-Version 2025-09-03 and
//     later, with the read content capability (403 without it), for every
//     kind of connection.
//   - It answers {"object": "page_markdown", "id", "markdown", "truncated",
//     "unknown_block_ids"}. The markdown is the page's content (not its
//     title or properties) in Notion's enhanced Markdown: children indented
//     one tab deeper than their parent, XML-like tags for what Markdown
//     lacks (<callout>, <details>, <columns>, <table>, <page>, <database>,
//     mentions, <span color>), {color="…"} after a block's first line.
//   - A page past about 20,000 records is cut short: truncated is true and
//     the blocks left out stand as <unknown url="…" alt="…"/> tags, their
//     IDs in unknown_block_ids. Each ID can be passed to the same endpoint,
//     in place of the page ID, for that block's subtree.
//   - unknown_block_ids also names blocks the connection may not see and
//     block types the format does not carry (bookmarks, embeds, link
//     previews); fetching those answers 404. The list does not tell the
//     kinds apart, so only a truncated answer's IDs are fetched, and a 404
//     on one leaves its tag in place.
//   - 404 for a page that does not exist or is not shared; 400 or 429 past
//     the request limits.
//
// What the documentation leaves open, Visen does not rely on: whether a
// subtree's answer holds the block itself or only its children (either is
// put where its tag was), and the form of the tag's url (the tag is found
// by the block's ID in it, or the subtree goes at the end).

// maxSubtrees is the most left-out subtrees one read fetches, each a
// request at Notion's rate. Notion leaves blocks out only past about
// 20,000 records, far past the MaxPageBlocks a block-by-block read takes:
// a page that needs more is refused as too large, as it is block by block,
// rather than given to the model with parts missing.
const maxSubtrees = 100

// pageMarkdown is Notion's answer to a markdown read.
type pageMarkdown struct {
	Markdown        string   `json:"markdown"`
	Truncated       bool     `json:"truncated"`
	UnknownBlockIDs []string `json:"unknown_block_ids"`
}

// NoMarkdownError is Notion refusing the markdown endpoint itself: an API
// or workspace that does not have it. The page may still be readable block
// by block.
type NoMarkdownError struct {
	Status int
	Code   string
}

func (e *NoMarkdownError) Error() string {
	return "notion: the markdown endpoint is refused: " + http.StatusText(e.Status) + " " + e.Code
}

// PageText is a page read whole as Notion's enhanced Markdown.
type PageText struct {
	Markdown string
	// Requests is how many requests the read took: one, plus one for each
	// subtree Notion left out of a truncated answer. A subtree Notion will
	// not give keeps its tag, which reads as an unsupported block.
	Requests int
}

// ReadMarkdown reads a page whole through Notion's markdown endpoint,
// fetching the subtrees a truncated answer leaves out and putting each
// where its tag stood. A *NoMarkdownError means the endpoint itself is
// refused; a page Notion cannot find is an *Error as for any read.
func (c *Client) ReadMarkdown(ctx context.Context, pageID string) (*PageText, error) {
	first, err := c.markdown(ctx, pageID)
	if err != nil {
		return nil, withObject(err, "page")
	}
	out := &PageText{Markdown: first.Markdown, Requests: 1}
	pending := unknownsOf(first)
	var mu sync.Mutex
	sent := 0
	for len(pending) > 0 {
		var next []string
		var wg sync.WaitGroup
		work := make(chan string)
		var firstErr error
		for range min(readWorkers, len(pending)) {
			wg.Go(func() {
				for id := range work {
					mu.Lock()
					failed := firstErr != nil
					mu.Unlock()
					if failed {
						continue
					}
					sub, err := c.markdown(ctx, id)
					mu.Lock()
					out.Requests++
					switch {
					case err == nil:
						out.Markdown = graft(out.Markdown, id, sub.Markdown)
						next = append(next, unknownsOf(sub)...)
					case isMissing(err):
					case firstErr == nil:
						firstErr = err
					}
					mu.Unlock()
				}
			})
		}
		if sent+len(pending) > maxSubtrees {
			close(work)
			wg.Wait()
			return nil, &TooLargeError{Max: MaxPageBlocks}
		}
		for _, id := range pending {
			sent++
			work <- id
		}
		close(work)
		wg.Wait()
		if firstErr != nil {
			return nil, firstErr
		}
		pending = next
	}
	return out, nil
}

// unknownsOf are the subtrees worth fetching: only a truncated answer's,
// as the others are blocks the connection may not see or cannot read.
func unknownsOf(p *pageMarkdown) []string {
	if !p.Truncated {
		return nil
	}
	return p.UnknownBlockIDs
}

// isMissing reports a subtree Notion would not give: not shared, or not a
// kind the endpoint reads.
func isMissing(err error) bool {
	var e *Error
	var no *NoMarkdownError
	return errors.As(err, &no) || (errors.As(err, &e) && (e.Kind == KindNotConnected || e.Kind == KindValidation))
}

// markdown sends one markdown read, for a page or a left-out block.
func (c *Client) markdown(ctx context.Context, id string) (*pageMarkdown, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiBase+"pages/"+url.PathEscape(id)+"/markdown", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.secret)
	req.Header.Set("Notion-Version", VersionDataSources)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, Classify("read page", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, Classify("read page", err)
	}
	if resp.StatusCode != http.StatusOK {
		var apiErr notionapi.Error
		if json.Unmarshal(body, &apiErr) != nil || apiErr.Code == "" {
			// Not Notion's JSON: something in front of it answered, which
			// for 400 and 404 means it has no such route.
			if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusBadRequest {
				return nil, &NoMarkdownError{Status: resp.StatusCode}
			}
			return nil, &Error{Kind: KindUnavailable, Op: "read page", Status: resp.StatusCode, Err: errors.New(http.StatusText(resp.StatusCode))}
		}
		apiErr.Status = resp.StatusCode
		if refusesEndpoint(&apiErr) {
			return nil, &NoMarkdownError{Status: resp.StatusCode, Code: string(apiErr.Code)}
		}
		return nil, Classify("read page", &apiErr)
	}
	var out pageMarkdown
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, Classify("read page", err)
	}
	return &out, nil
}

// refusesEndpoint reports Notion's answers that refuse the endpoint rather
// than the page: a route it does not know (400 invalid_request_url, or a
// 404 that is not object_not_found), or a Notion-Version it does not take
// the endpoint on. A page that is missing or not shared is object_not_found.
func refusesEndpoint(e *notionapi.Error) bool {
	switch {
	case e.Code == "invalid_request_url":
		return true
	case e.Status == http.StatusNotFound:
		return e.Code != "object_not_found"
	case e.Status == http.StatusBadRequest && (e.Code == "validation_error" || e.Code == "missing_version"):
		return strings.Contains(strings.ToLower(e.Message), "notion-version")
	}
	return false
}

// graft puts a subtree's Markdown where the tag of the block id stood,
// indented as the tag was; with no such tag, at the end, so nothing read
// is lost.
func graft(doc, id, sub string) string {
	bare := notionurl.PlainID(id)
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, "\t")
		if !strings.HasPrefix(trimmed, "<unknown") || !strings.Contains(notionurl.PlainID(trimmed), bare) {
			continue
		}
		indent := l[:len(l)-len(trimmed)]
		subLines := strings.Split(strings.TrimRight(sub, "\n"), "\n")
		for j, s := range subLines {
			if s != "" {
				subLines[j] = indent + s
			}
		}
		return strings.Join(append(append(lines[:i:i], subLines...), lines[i+1:]...), "\n")
	}
	if strings.TrimSpace(sub) == "" {
		return doc
	}
	return strings.TrimRight(doc, "\n") + "\n" + sub
}

// ReadWhole reads a page whole for an action that gives it to a model: in
// one request through the markdown endpoint, and block by block where
// that endpoint is refused, so an older API or workspace reads as before.
// Either way the page comes back as blocks (Markdown's blocks carry no IDs
// but a child page's).
func (c *Client) ReadWhole(ctx context.Context, pageID string) (*PageRead, error) {
	text, err := c.ReadMarkdown(ctx, pageID)
	var no *NoMarkdownError
	if errors.As(err, &no) {
		read, err := c.ReadPage(ctx, pageID)
		if read != nil {
			read.Requests++
		}
		return read, err
	}
	if err != nil {
		return nil, err
	}
	blocks := notion2md.FromEnhanced(text.Markdown)
	return &PageRead{Blocks: blocks, Count: count(blocks), Requests: text.Requests, LowerBound: 1, Markdown: true}, nil
}
