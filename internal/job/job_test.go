//go:build !js

// The model's stream needs a real connection: an in-process handler answers
// only once it has finished.

package job

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
	"github.com/visen/visen/internal/writer"
)

const (
	secret = "ntn_job_test_secret"
	key    = "sk-job-test"
	pageID = "1f0c8a2b-3d4e-4f5a-8b9c-0d1e2f3a4b5c"
)

type world struct {
	notion  *fakenotion.Server
	ai      *fakeai.Server
	job     *Job
	updates []Update
}

func newWorld(t testing.TB, answer string, split func(string) []string) *world {
	t.Helper()
	tw := testworld.New(t,
		testworld.WithNotion(fakenotion.Seed{
			Integrations: []fakenotion.Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}},
			Pages:        []fakenotion.Page{{ID: pageID, Title: "Target", Connected: []string{"Bot"}}},
		}),
		testworld.WithAI(fakeai.Config{Keys: []string{key}, Models: []string{"m"}, Answer: answer}),
		func(w *testworld.World) { w.AI.Split = split },
		testworld.Streaming(),
	)
	w := &world{notion: tw.Notion, ai: tw.AI}
	hc := tw.NotionHTTP(testworld.NoWait)
	api := notionapi.NewClient(secret, notionapi.WithHTTPClient(hc), notionapi.WithRetry(1))
	w.job = &Job{
		AI:      ai.New(tw.HTTP(), testworld.ModelURL, key),
		Request: ai.Request{Model: "m", Prompt: "Write it."},
		Writer:  writer.New(hc, secret, nil),
		Target:  writer.Place{ParentID: pageID},
		Delete: func(ctx context.Context, id string) error {
			_, err := api.Block.Delete(ctx, notionapi.BlockID(id))
			return err
		},
		OnUpdate: func(u Update) { w.updates = append(w.updates, u) },
	}
	return w
}

// randomChunks cuts text into pieces of 1 to 40 bytes, between
// characters, as a model's stream carries whole characters.
func randomChunks(seed uint64) func(string) []string {
	rng := rand.New(rand.NewPCG(seed, 7))
	return func(s string) []string {
		return cut(s, func() int { return 1 + rng.IntN(40) })
	}
}

// cut splits s into pieces of about size() bytes each, between characters.
func cut(s string, size func() int) []string {
	var out []string
	for len(s) > 0 {
		n := min(len(s), size())
		for n < len(s) && !utf8.RuneStart(s[n]) {
			n++
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

// want is the tree the final page must hold: the whole answer converted at once.
func want(t *testing.T, md string) []map[string]any {
	raw, err := json.Marshal(md2notion.Convert([]byte(md)))
	require.NoError(t, err)
	var out []map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

// content strips what Notion adds, for comparing trees.
func content(blocks []map[string]any) []any {
	var out []any
	for _, b := range blocks {
		typ := b["type"].(string)
		body, _ := b[typ].(map[string]any)
		kids, _ := b["children"].([]map[string]any)
		if k, ok := body["children"].([]any); ok {
			for _, c := range k {
				kids = append(kids, c.(map[string]any))
			}
		}
		clean := map[string]any{}
		for k, v := range body {
			if k != "children" {
				clean[k] = v
			}
		}
		raw, _ := json.Marshal(clean)
		out = append(out, typ+string(raw), content(kids))
	}
	return out
}

// settledBlocks joins the blocks the updates announced, as a listener
// that keeps them would hold them.
func settledBlocks(t *testing.T, updates []Update) []map[string]any {
	var got []notionapi.Block
	for _, u := range updates {
		require.LessOrEqual(t, u.From, len(got), "an update never skips blocks")
		got = append(got[:u.From], u.Blocks...)
	}
	raw, err := json.Marshal(got)
	require.NoError(t, err)
	var out []map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

// TestProgressiveWritingMatchesWholeConversion feeds every golden document
// in random chunk sizes: the page must end with exactly what converting the
// whole answer at once gives, with nothing deleted on the way, the
// updates must carry the same blocks and the whole text, and blocks must
// land while text still streams.
func TestProgressiveWritingMatchesWholeConversion(t *testing.T) {
	for name, src := range testworld.Documents(t) {
		for seed := range uint64(4) {
			w := newWorld(t, src, randomChunks(seed))
			var snap Snapshot
			require.NoError(t, w.job.Run(context.Background(), &snap), name)
			assert.Equal(t, content(want(t, src)), content(w.notion.Children(pageID)), "%s seed %d", name, seed)
			assert.Equal(t, Done, snap.Phase)
			assert.Equal(t, src, snap.Markdown)
			assert.Zero(t, snap.Deleted, "%s seed %d: a clean run deletes nothing", name, seed)
			for _, r := range w.notion.Requests() {
				assert.NotEqual(t, http.MethodDelete, r.Method, "%s seed %d", name, seed)
			}
			assert.Equal(t, content(want(t, src)), content(settledBlocks(t, w.updates)), "%s seed %d", name, seed)
			var text strings.Builder
			for _, u := range w.updates {
				text.WriteString(u.Text)
			}
			assert.Equal(t, src, text.String(), "the updates carry the whole text once")
			assert.Equal(t, countBlocks(w.notion.Children(pageID)), snap.Blocks, "%s: progress counts the blocks on the page", name)
			if name == "21-chat-article" {
				wroteEarly := false
				for _, u := range w.updates {
					wroteEarly = wroteEarly || (u.Phase == Generating && u.OnPage > 0)
				}
				assert.True(t, wroteEarly, "blocks are written while the model is still writing")
			}
		}
	}
}

// countBlocks counts a fake page's blocks at every level.
func countBlocks(blocks []map[string]any) int {
	n := 0
	for _, b := range blocks {
		kids, _ := b["children"].([]map[string]any)
		n += 1 + countBlocks(kids)
	}
	return n
}

func TestCancelKeepsWhatWasWritten(t *testing.T) {
	w := newWorld(t, testworld.Document(t, "21-chat-article"), randomChunks(1))
	w.ai.SetPace(500)
	w.job.Every = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	w.job.OnUpdate = func(u Update) {
		if u.OnPage >= 3 {
			cancel()
		}
	}
	var snap Snapshot
	err := w.job.Run(ctx, &snap)
	require.ErrorIs(t, err, context.Canceled)
	written := len(w.notion.Children(pageID))
	assert.Equal(t, len(snap.Written), written)
	time.Sleep(50 * time.Millisecond)
	assert.Equal(t, written, len(w.notion.Children(pageID)), "nothing is written after the cancel")
}

func TestRetryAfterANotionFailureResumes(t *testing.T) {
	src := testworld.Document(t, "21-chat-article")
	w := newWorld(t, src, randomChunks(2))
	w.notion.Fail(fakenotion.Fault{Method: "PATCH", PathPrefix: "/v1/blocks/", Status: 403, Times: 1})
	var snap Snapshot
	require.Error(t, w.job.Run(context.Background(), &snap))
	saved, err := json.Marshal(snap)
	require.NoError(t, err)

	var resumed Snapshot
	require.NoError(t, json.Unmarshal(saved, &resumed))
	assert.True(t, resumed.Generated, "the model finished although a write failed")
	assert.Equal(t, src, resumed.Markdown, "the draft is kept whole")
	require.NoError(t, w.job.Run(context.Background(), &resumed))
	assert.Equal(t, content(want(t, src)), content(w.notion.Children(pageID)))
	assert.Len(t, w.ai.Requests(), 1, "a retry writes; it does not generate again")
}

func TestNewPageTakesItsTitleFromTheFirstHeading(t *testing.T) {
	for _, tc := range []struct {
		name, answer, typed, wantTitle string
		wantFirst                      string
	}{
		{name: "heading becomes the title", answer: "# Tea in Japan\n\nGreen tea first.\n\n## Sencha\n\nGrassy.\n", wantTitle: "Tea in Japan", wantFirst: "paragraph"},
		{name: "typed title keeps the heading", answer: "# Tea in Japan\n\nGreen tea first.\n", typed: "My tea page", wantTitle: "My tea page", wantFirst: "heading_1"},
		{name: "no heading: the first words", answer: "Green tea first. Then the rest.\n\nMore.\n", wantTitle: "Green tea first. Then the rest.", wantFirst: "paragraph"},
		{name: "empty answer: the prompt", answer: "", wantTitle: "Write it.", wantFirst: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.answer, nil)
			var titles []string
			w.job.Title = tc.typed
			w.job.NewPage = func(ctx context.Context, _ *Creating, title string) (string, error) {
				titles = append(titles, title)
				return pageID, nil
			}
			w.job.Target = writer.Place{ParentID: "not-a-page"}
			snap := &Snapshot{}
			require.NoError(t, w.job.Run(context.Background(), snap))
			assert.Equal(t, []string{tc.wantTitle}, titles, "the page is made once")
			assert.Equal(t, pageID, snap.PageID)
			kids := w.notion.Children(pageID)
			if tc.wantFirst == "" {
				assert.Empty(t, kids)
				return
			}
			require.NotEmpty(t, kids)
			assert.Equal(t, tc.wantFirst, kids[0]["type"])
			// Resuming a finished job makes no second page.
			require.NoError(t, w.job.Run(context.Background(), snap))
			assert.Len(t, titles, 1)
		})
	}
}

func TestShortenCutsLongTitlesBetweenWords(t *testing.T) {
	long := "This is a rather long opening sentence that goes on and on about tea gardens in the hills of Shizuoka"
	got := shorten(long)
	assert.LessOrEqual(t, len([]rune(got)), 81)
	assert.True(t, len(got) > 40 && got[len(got)-len("…"):] == "…", got)
	assert.Equal(t, "first line", shorten("first line\nsecond"))
}

// TestAnswerOnlyWritesNothing: a job with no writer streams the answer
// and its settled blocks to the listener and finishes, with no Notion
// request at all.
func TestAnswerOnlyWritesNothing(t *testing.T) {
	src := testworld.Document(t, "21-chat-article")
	w := newWorld(t, src, randomChunks(3))
	w.job.Writer = nil
	var snap Snapshot
	require.NoError(t, w.job.Run(context.Background(), &snap))
	assert.Equal(t, Done, snap.Phase)
	assert.True(t, snap.Generated)
	assert.Equal(t, src, snap.Markdown)
	assert.Empty(t, snap.Written)
	assert.Zero(t, snap.Requests)
	assert.Empty(t, w.notion.Requests(), "no Notion request")
	var text strings.Builder
	for _, u := range w.updates {
		text.WriteString(u.Text)
		assert.NotEqual(t, Writing, u.Phase, "nothing is being written")
	}
	assert.Equal(t, src, text.String(), "the updates carry the whole text once")
	assert.Equal(t, content(want(t, src)), content(settledBlocks(t, w.updates)), "the preview gets every block")
	assert.Equal(t, Done, w.updates[len(w.updates)-1].Phase)
}

// TestAGivenAnswerIsWrittenWithoutTheModel: an answer already generated is
// written like a streamed one, reported as the job's text, and the model
// is never asked.
func TestAGivenAnswerIsWrittenWithoutTheModel(t *testing.T) {
	src := testworld.Document(t, "21-chat-article")
	w := newWorld(t, "", nil)
	w.job.AI, w.job.Answer = nil, src
	var snap Snapshot
	require.NoError(t, w.job.Run(context.Background(), &snap))
	assert.Equal(t, content(want(t, src)), content(w.notion.Children(pageID)))
	assert.Equal(t, Done, snap.Phase)
	assert.Empty(t, w.ai.Requests(), "the model is not asked")
	var text strings.Builder
	for _, u := range w.updates {
		text.WriteString(u.Text)
	}
	assert.Equal(t, src, text.String())
	assert.Equal(t, content(want(t, src)), content(settledBlocks(t, w.updates)))
}

// TestWritingAtTheTop streams a long answer, written in several batches
// while the model writes, to the top of a page that has text: the answer
// stands above that text, in order.
func TestWritingAtTheTop(t *testing.T) {
	src := testworld.Document(t, "21-chat-article")
	w := newWorld(t, src, randomChunks(4))
	w.ai.SetPace(2000)
	w.job.Every = time.Millisecond
	w.notion.Add(fakenotion.Seed{Blocks: map[string][]map[string]any{pageID: {
		{"object": "block", "type": "paragraph", "paragraph": map[string]any{"rich_text": []any{
			map[string]any{"type": "text", "text": map[string]any{"content": "Already here."}},
		}}},
	}}})
	first := w.notion.Children(pageID)[0]["id"].(string)
	w.job.Target = writer.Place{ParentID: pageID, Start: true, Anchored: true, Before: first}
	var snap Snapshot
	require.NoError(t, w.job.Run(context.Background(), &snap))
	kids := w.notion.Children(pageID)
	assert.Equal(t, append(content(want(t, src)), content(want(t, "Already here.\n"))...), content(kids))
	assert.Equal(t, first, kids[len(kids)-1]["id"], "the page's own text keeps its block")
	var versions []string
	for _, r := range w.notion.Requests() {
		if r.Method == http.MethodPatch {
			versions = append(versions, http.Header(r.Header).Get("Notion-Version"))
		}
	}
	require.Greater(t, len(versions), 1, "written in several requests while the model wrote")
	assert.Equal(t, notion.VersionPosition, versions[0], "only the first append goes to the top")
	for _, v := range versions[1:] {
		assert.Equal(t, notion.VersionDataSources, v, "the rest go after the job's last block")
	}
}
