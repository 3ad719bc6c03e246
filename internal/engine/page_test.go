package engine

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld/fakenotion"
)

const (
	neighbourID = "5d4e3f2a-1b0c-4d9e-8f7a-6b5c4d3e2f1a"
	subpageID   = "6e5f4a3b-2c1d-4e0f-9a8b-7c6d5e4f3a2b"
	tasksID     = "7f6a5b4c-3d2e-4f1a-8b9c-0d1e2f3a4b5c"
)

// pageWorld is the engine's world with text on the plan page and on a
// neighbouring page shared with the same integration.
func pageWorld(t *testing.T) *world {
	w := newWorld(t)
	w.notion.Add(fakenotion.Seed{
		Pages: []fakenotion.Page{
			{ID: neighbourID, Title: "Neighbour", Connected: []string{bot}},
			{ID: subpageID, Title: "Meeting notes", Parent: pageID},
		},
		Blocks: map[string][]map[string]any{
			pageID: {
				fakenotion.Block("heading_2", "Goals"), fakenotion.Block("paragraph", "Grow weekly active teams by 20%."),
				fakenotion.Block("heading_2", "Risks"), fakenotion.Block("paragraph", "Hirng may slip."),
			},
			neighbourID: {fakenotion.Block("paragraph", "Not on the plan page.")},
		},
	})
	return w
}

func ids(w *world, parent string) []string {
	var out []string
	for _, b := range w.notion.Children(parent) {
		out = append(out, b["id"].(string))
	}
	return out
}

func texts(w *world, parent string) []string {
	return fakenotion.Texts(w.notion.Children(parent))
}

func TestReadPageCall(t *testing.T) {
	w := pageWorld(t)
	w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{pageID: fakenotion.ReadingBlocks(subpageID, tasksID)}})
	r := w.call(t, "readPage", map[string]any{"notionSecret": secret, "pageId": pageID})
	require.True(t, r.OK, "%+v", r.Error)
	got := r.Data.(map[string]any)
	md := got["markdown"].(string)
	assert.True(t, strings.HasPrefix(md, "## Goals\n\nGrow weekly active teams by 20%."))
	for _, want := range []string{"[📄 Meeting notes]", "This text is synced across pages.", "[Unsupported block: form]", "@Ada Lovelace"} {
		assert.Contains(t, md, want)
	}
	assert.Equal(t, got["requests"], got["lowerBound"], "reads in the fewest requests")
	assert.Greater(t, got["blocks"].(float64), 30.0)

	r = w.call(t, "readPage", map[string]any{"notionSecret": secret, "pageId": pageID, "upTo": ids(w, pageID)[1]})
	require.True(t, r.OK)
	assert.Equal(t, "## Goals\n\nGrow weekly active teams by 20%.", r.Data.(map[string]any)["markdown"])

	r = w.call(t, "readPage", map[string]any{"notionSecret": secret, "pageId": privateID})
	require.False(t, r.OK)
	assert.Equal(t, "not_connected", r.Error.Code)
	assert.Equal(t, bot, r.Error.IntegrationName, "the steps name the integration")
	assert.Contains(t, r.Error.Steps, "Search for “"+bot+"” and choose it.")
}

func TestActionPrompt(t *testing.T) {
	w := pageWorld(t)
	page := ids(w, pageID)
	tests := []struct {
		name      string
		action    map[string]any
		model     string
		want      []string
		wantAfter string
		wantPos   string
		wantUsed  map[string]any
		wantSel   []any
		wantCode  string
	}{
		{
			name: "continue at the end", action: map[string]any{"kind": "continue"},
			want: []string{"Continue writing", "## Goals", "Hirng may slip."}, wantAfter: page[3],
			wantUsed: map[string]any{"blocks": 4.0, "total": 4.0},
		},
		{
			name: "continue at the cursor", action: map[string]any{"kind": "continue", "upTo": page[1], "instruction": "List three goals."},
			want: []string{"cursor", "The person asks: List three goals.", "Grow weekly"}, wantAfter: page[1],
			wantUsed: map[string]any{"blocks": 2.0, "total": 2.0},
		},
		{
			name: "summarize at the start goes at the top", action: map[string]any{"kind": "summarize", "position": "start"},
			want: []string{"> [!NOTE]"}, wantAfter: "", wantPos: "start",
			wantUsed: map[string]any{"blocks": 4.0, "total": 4.0},
		},
		{
			name: "summarize at the end", action: map[string]any{"kind": "summarize", "position": "end"},
			want: []string{"> [!NOTE]"}, wantAfter: "", wantPos: "end",
			wantUsed: map[string]any{"blocks": 4.0, "total": 4.0},
		},
		{
			name: "translate", action: map[string]any{"kind": "translate", "language": "French"},
			want: []string{"into French."}, wantAfter: "", wantPos: "end", wantUsed: map[string]any{"blocks": 4.0, "total": 4.0},
		},
		{
			name: "improve the selection", action: map[string]any{"kind": "improve", "style": "fix", "selection": []string{page[3], strings.ReplaceAll(page[2], "-", "")}},
			want: []string{"Fix its spelling", "## Risks\n\nHirng may slip."}, wantAfter: page[3],
			wantUsed: map[string]any{"blocks": 2.0, "total": 2.0}, wantSel: []any{page[2], page[3]},
		},
		{
			name: "ask", action: map[string]any{"kind": "ask", "instruction": "What is the goal?"},
			want: []string{"The question: What is the goal?"}, wantAfter: "", wantPos: "end", wantUsed: map[string]any{"blocks": 4.0, "total": 4.0},
		},
		{
			name: "a small model takes the page's start", model: "tiny-local", action: map[string]any{"kind": "summarize"},
			wantAfter: "", wantUsed: map[string]any{"blocks": 4.0, "total": 4.0},
		},
		{name: "a selected block from another page", action: map[string]any{"kind": "improve", "style": "fix", "selection": []string{page[0], ids(w, neighbourID)[0]}}, wantCode: "selection_not_on_page"},
		{name: "no selection", action: map[string]any{"kind": "improve", "style": "fix"}, wantCode: "no_selection"},
		{name: "translate with no language", action: map[string]any{"kind": "translate"}, wantCode: "invalid_action"},
		{name: "a cursor no longer on the page", action: map[string]any{"kind": "continue", "upTo": ids(w, neighbourID)[0]}, wantCode: "cursor_gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := tt.model
			if model == "" {
				model = "gpt-5-mini"
			}
			r := w.call(t, "actionPrompt", map[string]any{"notionSecret": secret, "pageId": pageID, "action": tt.action, "model": model})
			if tt.wantCode != "" {
				require.False(t, r.OK)
				assert.Equal(t, tt.wantCode, r.Error.Code)
				assert.NotEmpty(t, r.Error.Message)
				return
			}
			require.True(t, r.OK, "%+v", r.Error)
			got := r.Data.(map[string]any)
			for _, want := range tt.want {
				assert.Contains(t, got["prompt"], want)
			}
			assert.Equal(t, tt.wantAfter, got["after"])
			used := got["used"].(map[string]any)
			delete(used, "chars")
			assert.Equal(t, tt.wantUsed, used)
			if tt.wantSel != nil {
				assert.Equal(t, tt.wantSel, got["selectionIds"])
			}
			if tt.wantPos != "" {
				assert.Equal(t, tt.wantPos, got["position"])
			}
			assert.NotContains(t, got, "note", "nothing is decided for the person")
		})
	}
}

// TestActionPromptRequests reads the page whole, in one request, for the
// actions that need only its content, and block by block for those that
// need a block's place: the cursor's or the selection's.
func TestActionPromptRequests(t *testing.T) {
	tests := []struct {
		name   string
		action map[string]any
		// refused makes Notion refuse the markdown endpoint, as an older
		// API does.
		refused      bool
		wantMarkdown int
	}{
		{name: "summarize", action: map[string]any{"kind": "summarize"}, wantMarkdown: 1},
		{name: "summarize where the endpoint is refused", action: map[string]any{"kind": "summarize", "position": "end"}, refused: true, wantMarkdown: 1},
		{name: "summarize at the top", action: map[string]any{"kind": "summarize", "position": "start"}, wantMarkdown: 1},
		{name: "translate", action: map[string]any{"kind": "translate", "language": "French"}, wantMarkdown: 1},
		{name: "ask", action: map[string]any{"kind": "ask", "instruction": "Why?"}, wantMarkdown: 1},
		{name: "continue", action: map[string]any{"kind": "continue"}},
		{name: "improve", action: map[string]any{"kind": "improve", "style": "fix"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := pageWorld(t)
			w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{pageID: fakenotion.ReadingBlocks(subpageID, tasksID)}})
			if tt.refused {
				w.notion.Fail(fakenotion.Fault{PathPrefix: "/v1/pages/" + pageID + "/markdown", Status: 400, Code: "invalid_request_url", Message: "Invalid request URL."})
			}
			if tt.action["kind"] == "improve" {
				tt.action["selection"] = []string{ids(w, pageID)[1]}
			}
			before := len(w.notion.Requests())
			r := w.call(t, "actionPrompt", map[string]any{"notionSecret": secret, "pageId": pageID, "action": tt.action, "model": "gpt-5-mini"})
			require.True(t, r.OK, "%+v", r.Error)
			markdown, children := 0, 0
			for _, req := range w.notion.Requests()[before:] {
				switch {
				case strings.HasSuffix(req.Path, "/markdown"):
					markdown++
				case strings.HasSuffix(req.Path, "/children"):
					children++
				}
			}
			assert.Equal(t, tt.wantMarkdown, markdown)
			got := r.Data.(map[string]any)
			if tt.refused {
				// Read block by block, the page names its last block: the
				// answer goes after it, as before the endpoint was used.
				assert.Positive(t, children)
				page := ids(w, pageID)
				assert.Equal(t, page[len(page)-1], got["after"])
				assert.Contains(t, got["prompt"], "| Blog post | Dana |", "the same page for the model")
				return
			}
			if tt.wantMarkdown > 0 {
				assert.Zero(t, children, "nothing read block by block")
				assert.Contains(t, r.Data.(map[string]any)["prompt"], "| Blog post | Dana |", "the page's table as Markdown's")
			} else {
				assert.Positive(t, children)
			}
		})
	}
}

// TestActionPromptCut gives a page longer than the model's context: the
// prompt holds whole blocks from the start, and says how many.
func TestActionPromptCut(t *testing.T) {
	w := newWorld(t)
	long := strings.Repeat("word ", 2000)
	var blocks []map[string]any
	for range 5 {
		blocks = append(blocks, fakenotion.Block("paragraph", strings.TrimSpace(long)))
	}
	w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{pageID: blocks}})
	r := w.call(t, "actionPrompt", map[string]any{"notionSecret": secret, "pageId": pageID, "model": "llama3.2", "action": map[string]any{"kind": "summarize"}})
	require.True(t, r.OK, "%+v", r.Error)
	got := r.Data.(map[string]any)
	used := got["used"].(map[string]any)
	// An 8,192-token model keeps 6,144 tokens, 18,432 characters, for the
	// page: one block of 9,999 characters fits, two do not.
	assert.Equal(t, 1.0, used["blocks"])
	assert.Equal(t, 5.0, used["total"])
	assert.Equal(t, 9999.0, used["chars"])
	assert.Equal(t, 1, strings.Count(got["prompt"].(string), strings.TrimSpace(long)), "one whole block")
}

// TestImproveReplaceAndUndo runs the whole improve flow on the fake: the
// new version written after the selection, Replace trashing the
// originals, and Undo restoring them and trashing the new version.
func TestImproveReplaceAndUndo(t *testing.T) {
	w := pageWorld(t)
	page := ids(w, pageID)
	r := w.call(t, "actionPrompt", map[string]any{"notionSecret": secret, "pageId": pageID, "model": "gpt-5-mini",
		"action": map[string]any{"kind": "improve", "style": "fix", "selection": []string{page[3]}}})
	require.True(t, r.OK)
	after := r.Data.(map[string]any)["after"].(string)
	assert.Equal(t, page[3], after)

	// The generation writes the new version after the selection.
	req, err := http.NewRequest(http.MethodPatch, "https://api.notion.com/v1/blocks/"+pageID+"/children",
		strings.NewReader(`{"after":"`+after+`","children":[{"object":"block","type":"paragraph","paragraph":{"rich_text":[{"type":"text","text":{"content":"Hiring may slip."}}]}}]}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Notion-Version", "2022-06-28")
	rec := httptest.NewRecorder()
	w.notion.API().ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code)
	assert.Equal(t, []string{"Goals", "Grow weekly active teams by 20%.", "Risks", "Hirng may slip.", "Hiring may slip."}, texts(w, pageID))
	newVersion := ids(w, pageID)[4]

	r = w.call(t, "trashBlocks", map[string]any{"notionSecret": secret, "ids": []string{page[3]}})
	require.True(t, r.OK)
	assert.Equal(t, map[string]any{"trashed": []any{page[3]}}, r.Data)
	assert.Equal(t, []string{"Goals", "Grow weekly active teams by 20%.", "Risks", "Hiring may slip."}, texts(w, pageID), "Replace")

	r = w.call(t, "restoreBlocks", map[string]any{"notionSecret": secret, "ids": []string{page[3]}})
	require.True(t, r.OK)
	assert.Equal(t, map[string]any{"restored": []any{page[3]}}, r.Data)
	r = w.call(t, "trashBlocks", map[string]any{"notionSecret": secret, "ids": []string{newVersion}})
	require.True(t, r.OK)
	assert.Equal(t, []string{"Goals", "Grow weekly active teams by 20%.", "Risks", "Hirng may slip."}, texts(w, pageID), "Undo puts the page back as it was")
	assert.Equal(t, page, ids(w, pageID), "the originals keep their IDs and places")

	r = w.call(t, "restoreBlocks", map[string]any{"notionSecret": otherKey, "ids": []string{page[3]}})
	require.False(t, r.OK, "another integration cannot restore the page's blocks")
}

func TestCreateSubpage(t *testing.T) {
	w := pageWorld(t)
	r := w.call(t, "createSubpage", map[string]any{"notionSecret": secret, "parentPageId": pageID, "title": " Français "})
	require.True(t, r.OK, "%+v", r.Error)
	got := r.Data.(map[string]any)
	assert.Equal(t, "Français", got["title"])
	assert.NotEmpty(t, got["id"])
	assert.Contains(t, got["url"], "Fran")
	r = w.call(t, "inspectTarget", map[string]any{"notionSecret": secret, "url": got["url"]})
	require.True(t, r.OK, "the new page is in the workspace, inside the page: %+v", r.Error)
	assert.Equal(t, "Français", r.Data.(map[string]any)["title"])

	r = w.call(t, "createSubpage", map[string]any{"notionSecret": secret, "parentPageId": pageID, "title": "  "})
	require.False(t, r.OK)
	assert.Equal(t, "no_title", r.Error.Code)
}

// TestCreateSubpageExactlyOnce loses the answer to the request that makes
// a translation's page: the page it made is found, not made again, both at
// once and when the job is retried, and an older page of the same title
// is never taken for it.
func TestCreateSubpageExactlyOnce(t *testing.T) {
	w := pageWorld(t)
	subpage := func(payload map[string]any) Reply {
		return w.call(t, "createSubpage", map[string]any{"notionSecret": secret, "parentPageId": pageID, "title": "French", "existing": payload["existing"], "asked": payload["asked"]})
	}
	frenchPages := func() []string {
		var out []string
		for _, b := range w.notion.Children(pageID) {
			if p, ok := b["child_page"].(map[string]any); ok && p["title"] == "French" {
				out = append(out, b["id"].(string))
			}
		}
		return out
	}
	r := subpage(map[string]any{"existing": []string{}})
	require.True(t, r.OK, "%+v", r.Error)
	older := r.Data.(map[string]any)["id"].(string)

	r = w.call(t, "actionPrompt", map[string]any{"notionSecret": secret, "pageId": pageID, "model": "gpt-5-mini",
		"action": map[string]any{"kind": "translate", "language": "French"}})
	require.True(t, r.OK, "%+v", r.Error)
	existing := r.Data.(map[string]any)["existing"]
	assert.Equal(t, []any{older}, existing, "the plan names the page already titled French")

	w.notion.Fail(fakenotion.Fault{Method: "POST", PathPrefix: "/v1/pages", Reset: true, AfterApply: true})
	r = subpage(map[string]any{"existing": existing})
	require.True(t, r.OK, "%+v", r.Error)
	made := r.Data.(map[string]any)["id"].(string)
	assert.NotEqual(t, older, made)
	assert.Equal(t, []string{older, made}, frenchPages(), "one page made, though its answer was lost")

	// A retry after the job stopped there finds the same page.
	r = subpage(map[string]any{"existing": existing, "asked": true})
	require.True(t, r.OK, "%+v", r.Error)
	assert.Equal(t, made, r.Data.(map[string]any)["id"])
	assert.Equal(t, []string{older, made}, frenchPages())
}

// TestActionAfterNestedBlock selects, and puts the cursor in, blocks
// nested in a list item: the answer goes into that item, right after them,
// as Notion appends only among a block's own children.
func TestActionAfterNestedBlock(t *testing.T) {
	w := newWorld(t)
	item := fakenotion.Block("bulleted_list_item", "Research")
	item["bulleted_list_item"].(map[string]any)["children"] = []any{fakenotion.Block("bulleted_list_item", "Interview ten teams"), fakenotion.Block("bulleted_list_item", "Read the surveys")}
	w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{pageID: {fakenotion.Block("heading_2", "Plan"), item, fakenotion.Block("paragraph", "Then build.")}}})
	top := ids(w, pageID)
	nested := ids(w, top[1])
	tests := []struct {
		name, after string
		action      map[string]any
		wantParent  string
	}{
		{"improve two nested items", nested[1], map[string]any{"kind": "improve", "style": "fix", "selection": nested}, top[1]},
		{"continue at a nested cursor", nested[0], map[string]any{"kind": "continue", "upTo": nested[0]}, top[1]},
		{"improve a top-level block", top[2], map[string]any{"kind": "improve", "style": "fix", "selection": []string{top[2]}}, ""},
		{"improve an item with its children", top[1], map[string]any{"kind": "improve", "style": "fix", "selection": []string{nested[0], top[1]}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := w.call(t, "actionPrompt", map[string]any{"notionSecret": secret, "pageId": pageID, "model": "gpt-5-mini", "action": tt.action})
			require.True(t, r.OK, "%+v", r.Error)
			got := r.Data.(map[string]any)
			assert.Equal(t, tt.after, got["after"])
			parent, _ := got["parent"].(string)
			assert.Equal(t, tt.wantParent, parent)
		})
	}
}
