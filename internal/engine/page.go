package engine

import (
	"context"
	"strings"

	"github.com/visen/visen/internal/convert/notion2md"
	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notionurl"
	"github.com/visen/visen/internal/prompts"
)

// ReadPageRequest names a page to read, and optionally the block to stop
// after.
type ReadPageRequest struct {
	NotionSecret string `json:"notionSecret"`
	PageID       string `json:"pageId"`
	UpTo         string `json:"upTo,omitempty"`
}

// PageMarkdown is a page read as Markdown, with the requests it took.
type PageMarkdown struct {
	Markdown   string `json:"markdown"`
	Blocks     int    `json:"blocks"`
	Requests   int    `json:"requests"`
	LowerBound int    `json:"lowerBound"`
}

func (e *Engine) readPage(ctx context.Context, req ReadPageRequest) (any, error) {
	read, err := e.read(ctx, req.NotionSecret, req.PageID, req.UpTo, req.UpTo == "")
	if err != nil {
		return nil, err
	}
	return PageMarkdown{Markdown: notion2md.Markdown(read.Blocks), Blocks: read.Count, Requests: read.Requests, LowerBound: read.LowerBound}, nil
}

// read reads a page. whole
// reads it in one request through Notion's markdown endpoint, for an
// action that needs the page's content and no block's place in it;
// otherwise it is read block by block, with every block's ID.
func (e *Engine) read(ctx context.Context, secret, pageID, upTo string, whole bool) (*notion.PageRead, error) {
	if secret == "" {
		return nil, &inputError{"not_configured", "Visen is not set up yet. Open Settings and add your Notion token and AI key."}
	}
	if pageID == "" {
		return nil, &inputError{"no_target", "Open a Notion page, then click Visen again."}
	}
	var opts []notion.ReadOption
	if upTo != "" {
		opts = append(opts, notion.UpTo(upTo))
	}
	c := notion.New(e.notionHTTP, secret)
	var read *notion.PageRead
	var err error
	if whole {
		read, err = c.ReadWhole(ctx, pageID)
	} else {
		read, err = c.ReadPage(ctx, pageID, opts...)
	}
	return read, err
}

// PageAction is what the person asked to do with the page.
type PageAction struct {
	Kind        prompts.Kind `json:"kind"`
	Instruction string       `json:"instruction"`
	Language    string       `json:"language"`
	Style       string       `json:"style"`
	Tone        string       `json:"tone"`
	// Selection are the IDs of the blocks selected in the page, for
	// improve.
	Selection []string `json:"selection"`
	// UpTo is the block the cursor is in, for continue.
	UpTo string `json:"upTo"`
	// Position is where a summary goes: "start" or "end".
	Position string `json:"position"`
}

// ActionPromptRequest asks for the prompt of a page action.
type ActionPromptRequest struct {
	NotionSecret string     `json:"notionSecret"`
	PageID       string     `json:"pageId"`
	Action       PageAction `json:"action"`
	Model        string     `json:"model"`
}

// ActionPrompt is the prompt for a page action, how much of the page it
// holds, and where its answer goes.
type ActionPrompt struct {
	Prompt string       `json:"prompt"`
	Used   prompts.Used `json:"used"`
	// SelectionIDs are the selected blocks to replace, in page order, each
	// once (a block inside another selected one goes with it).
	SelectionIDs []string `json:"selectionIds"`
	// After is the block to write after; "" is the end of the page, or
	// its top when Position is "start".
	After string `json:"after"`
	// Position is where the answer goes: "after" a block, the "end" or
	// the "start" of the page (generate with atStart).
	Position string `json:"position"`
	// Parent is the block After is nested in, which the answer goes into
	// beside it; "" when After is one of the page's own blocks.
	Parent string `json:"parent,omitempty"`
	// Existing are, for a translation, the page's child pages already
	// titled with the language, so that a page made by a request whose
	// answer was lost is told apart from them (createSubpage).
	Existing []string `json:"existing,omitempty"`
}

func (e *Engine) actionPrompt(ctx context.Context, req ActionPromptRequest) (any, error) {
	a := req.Action
	upTo := ""
	if a.Kind == prompts.Continue {
		upTo = a.UpTo
	}
	if a.Kind == prompts.Improve && len(a.Selection) == 0 {
		return nil, &inputError{"no_selection", "Select the blocks to improve in the page first: drag across them, or click beside them, then click Visen again."}
	}
	// Summarize, Translate and Ask need the page's content and no block's
	// place: their answer goes at the top, at the end (where the job looks
	// for the last block itself) or nowhere. Continue and Improve need the
	// cursor's or the selection's blocks, so they read block by block.
	whole := a.Kind == prompts.Summarize || a.Kind == prompts.Translate || a.Kind == prompts.Ask
	read, err := e.read(ctx, req.NotionSecret, req.PageID, upTo, whole)
	if err != nil {
		return nil, err
	}
	blocks := read.Blocks
	out := ActionPrompt{Position: "end", SelectionIDs: []string{}}
	if a.Kind == prompts.Improve {
		if blocks, err = selected(read.Blocks, a.Selection); err != nil {
			return nil, err
		}
		for _, b := range blocks {
			out.SelectionIDs = append(out.SelectionIDs, b.ID)
		}
	}
	content, used := prompts.Cut(notion2md.Chunks(blocks), prompts.Budget(req.Model), a.Kind == prompts.Continue)
	if used.Total > 0 && used.Blocks == 0 {
		return nil, &inputError{"too_long_for_model", "The first block to read is longer than the chosen model can take. Choose a model with a larger context in Settings."}
	}
	if used.Total == 0 && a.Kind != prompts.Continue {
		return nil, &inputError{"empty_page", "This page is empty: there is nothing to work on yet."}
	}
	out.Used = used
	if out.Prompt, err = prompts.Build(prompts.Action{
		Kind: a.Kind, Instruction: a.Instruction, Language: a.Language, Style: a.Style, Tone: a.Tone, AtCursor: upTo != "",
	}, content); err != nil {
		return nil, err
	}
	if a.Kind == prompts.Translate {
		out.Existing = childPagesTitled(read.Blocks, a.Language)
	}
	switch {
	case a.Kind == prompts.Summarize && a.Position == "start":
		out.Position = "start"
		return out, nil
	case a.Kind == prompts.Continue && upTo != "":
		out.After = upTo
	case a.Kind == prompts.Improve:
		out.After = out.SelectionIDs[len(out.SelectionIDs)-1]
	case a.Kind == prompts.Ask:
		// The answer shows in the popup; inserting it goes at the end.
	case read.Markdown:
		// A page read whole names no block: an answer at the end goes
		// after the last one, which the job reads when it starts.
	case len(read.Blocks) > 0:
		out.After = read.Blocks[len(read.Blocks)-1].ID
	}
	if out.After != "" {
		out.Position = "after"
		out.Parent = parentOf(read.Blocks, "", out.After)
	}
	return out, nil
}

// parentOf is the ID of the block holding the block id among blocks,
// whose own parent is parent ("" for the page).
func parentOf(blocks []notion2md.Block, parent, id string) string {
	for _, b := range blocks {
		if notionurl.PlainID(b.ID) == notionurl.PlainID(id) {
			return parent
		}
		if p := parentOf(b.Children, b.ID, id); p != "" {
			return p
		}
	}
	return ""
}

// selected returns the page's blocks whose IDs are in ids, in page order,
// leaving out those inside another selected block. An ID that is not on
// the page is refused.
func selected(page []notion2md.Block, ids []string) ([]notion2md.Block, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[notionurl.PlainID(id)] = true
	}
	var out []notion2md.Block
	var walk func(blocks []notion2md.Block)
	walk = func(blocks []notion2md.Block) {
		for _, b := range blocks {
			if want[notionurl.PlainID(b.ID)] {
				out = append(out, b)
				delete(want, notionurl.PlainID(b.ID))
				forget(want, b.Children)
				continue
			}
			walk(b.Children)
		}
	}
	walk(page)
	if len(want) > 0 {
		return nil, &inputError{"selection_not_on_page", "Some of the selected blocks are not on this page. Select the blocks again in this page, then retry."}
	}
	return out, nil
}

// forget drops the IDs of blocks inside a selected one: they go with it.
func forget(want map[string]bool, blocks []notion2md.Block) {
	for _, b := range blocks {
		delete(want, notionurl.PlainID(b.ID))
		forget(want, b.Children)
	}
}

// BlocksRequest names blocks to move to or out of the trash.
type BlocksRequest struct {
	NotionSecret string   `json:"notionSecret"`
	IDs          []string `json:"ids"`
}

// Trashed lists the blocks moved to the trash.
type Trashed struct {
	Trashed []string `json:"trashed"`
}

// Restored lists the blocks taken out of the trash.
type Restored struct {
	Restored []string `json:"restored"`
}

func (e *Engine) trashBlocks(ctx context.Context, req BlocksRequest) (any, error) {
	done, err := e.eachBlock(ctx, req, (*notion.Client).DeleteBlock)
	return Trashed{Trashed: done}, err
}

func (e *Engine) restoreBlocks(ctx context.Context, req BlocksRequest) (any, error) {
	done, err := e.eachBlock(ctx, req, (*notion.Client).RestoreBlock)
	return Restored{Restored: done}, err
}

// eachBlock applies do to each block a BlocksRequest names, in order,
// stopping at the first failure.
func (e *Engine) eachBlock(ctx context.Context, req BlocksRequest, do func(*notion.Client, context.Context, string) error) ([]string, error) {
	c := notion.New(e.notionHTTP, req.NotionSecret)
	done := []string{}
	for _, id := range req.IDs {
		if err := do(c, ctx, id); err != nil {
			return nil, err
		}
		done = append(done, id)
	}
	return done, nil
}

// SubpageRequest asks for a new page inside a page, exactly once.
type SubpageRequest struct {
	NotionSecret string `json:"notionSecret"`
	ParentPageID string `json:"parentPageId"`
	Title        string `json:"title"`
	// Existing are the parent's child pages with this title before the
	// first ask; Asked says a request to make the page may have been
	// applied, so a child page so titled not among them is the one made.
	Existing []string `json:"existing"`
	Asked    bool     `json:"asked"`
}

func (e *Engine) createSubpage(ctx context.Context, req SubpageRequest) (any, error) {
	if strings.TrimSpace(req.Title) == "" {
		return nil, &inputError{"no_title", "Give the new page a title."}
	}
	title := strings.TrimSpace(req.Title)
	c := notion.New(e.notionHTTP, req.NotionSecret)
	var made *notion.Subpage
	id, err := createOnce(ctx, &job.Creating{Existing: req.Existing, Asked: req.Asked}, func(ctx context.Context) ([]string, error) {
		return childPagesNamed(ctx, c, req.ParentPageID, title)
	}, func(ctx context.Context) (string, error) {
		p, err := c.CreateSubpage(ctx, req.ParentPageID, title)
		if err != nil {
			return "", err
		}
		made = p
		return p.ID, nil
	})
	switch {
	case err != nil:
		return nil, err
	case made == nil:
		// Found, not made by this call: Notion gave no address for it.
		made = &notion.Subpage{ID: id, URL: "https://www.notion.so/" + notionurl.PlainID(id), Title: title}
	}
	return made, nil
}

// childPagesTitled lists the IDs of the top-level child pages with this
// title.
func childPagesTitled(blocks []notion2md.Block, title string) []string {
	ids := []string{}
	for _, b := range blocks {
		if b.Type == "child_page" && strings.TrimSpace(b.Title()) == strings.TrimSpace(title) {
			ids = append(ids, b.ID)
		}
	}
	return ids
}

// childPagesNamed lists the IDs of parent's child pages titled title, as
// Notion has them now.
func childPagesNamed(ctx context.Context, c *notion.Client, parent, title string) ([]string, error) {
	kids, err := c.Children(ctx, parent)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, k := range kids {
		id, _ := k["id"].(string)
		page, _ := k["child_page"].(map[string]any)
		if k["type"] == "child_page" && page["title"] == title {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
