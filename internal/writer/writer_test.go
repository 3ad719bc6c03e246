package writer

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

const (
	secret = "ntn_writer_test_secret"
	pageID = "1f0c8a2b-3d4e-4f5a-8b9c-0d1e2f3a4b5c"
)

func newFake(existing ...string) *fakenotion.Server {
	var blocks []map[string]any
	for _, text := range existing {
		blocks = append(blocks, paragraph(text))
	}
	return fakenotion.New(fakenotion.Seed{
		Integrations: []fakenotion.Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}},
		Pages:        []fakenotion.Page{{ID: pageID, Title: "Target", Connected: []string{"Bot"}}},
		Blocks:       map[string][]map[string]any{pageID: blocks},
	})
}

// client reaches the fake in-process, with fast retries.
func client(fake *fakenotion.Server) *http.Client {
	return testworld.NotionHTTP(fake.API(), testworld.NoWait)
}

// doc converts the converter's test documents named, one after another.
func doc(t *testing.T, names ...string) []notionapi.Block {
	t.Helper()
	var blocks []notionapi.Block
	for _, name := range names {
		blocks = append(blocks, md2notion.Convert([]byte(testworld.Document(t, name)))...)
	}
	return blocks
}

// planned is the plan that writes blocks and the shape the page must end
// with.
func planned(t *testing.T, blocks []notionapi.Block) (*Plan, []string) {
	t.Helper()
	plan, err := NewPlan(blocks)
	require.NoError(t, err)
	return plan, shape(treeJSON(t, blocks))
}

// shape is a tree as signatures, for comparing what was meant with what
// the fake holds.
func shape(blocks []map[string]any) []string {
	var out []string
	var walk func(bs []map[string]any, depth int)
	walk = func(bs []map[string]any, depth int) {
		for _, b := range bs {
			out = append(out, strings.Repeat("  ", depth)+signature(b))
			typ, _ := b["type"].(string)
			var kids []map[string]any
			if k, ok := b["children"].([]map[string]any); ok {
				kids = k
			} else if body, ok := b[typ].(map[string]any); ok {
				if k, ok := body["children"].([]any); ok {
					for _, c := range k {
						kids = append(kids, c.(map[string]any))
					}
				}
			}
			walk(kids, depth+1)
		}
	}
	walk(blocks, 0)
	return out
}

func treeJSON(t *testing.T, blocks []notionapi.Block) []map[string]any {
	raw, err := json.Marshal(blocks)
	require.NoError(t, err)
	var out []map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

var documents = []string{"21-chat-article", "18-deep-mixed-list", "19-big-table", "20-long-code", "07-list-children", "24-many-items", "04-lists", "15-html"}

func TestWriteDocuments(t *testing.T) {
	for _, name := range documents {
		t.Run(name, func(t *testing.T) {
			blocks := doc(t, name)
			plan, err := NewPlan(blocks)
			require.NoError(t, err)
			fake := newFake()
			var last Progress
			w := newWriter(fake, func(p Progress) { last = p })
			var state State
			require.NoError(t, w.Write(context.Background(), plan, Place{ParentID: pageID}, &state))
			assert.Equal(t, shape(treeJSON(t, blocks)), shape(fake.Children(pageID)))
			assert.Equal(t, plan.Blocks, last.Confirmed)
			assert.Equal(t, len(plan.Requests)+1, last.Sent, "no request beyond the plan and one look at the page before the first")
		})
	}
}

func TestWriteAfterABlockInTheMiddle(t *testing.T) {
	fake := newFake("first", "middle", "last")
	middle := fake.Children(pageID)[1]["id"].(string)
	blocks := doc(t, "24-many-items", "21-chat-article")
	for range 3 { // enough top-level blocks for several requests
		blocks = append(blocks, blocks...)
	}
	plan, err := NewPlan(blocks)
	require.NoError(t, err)
	require.Greater(t, countTop(plan), 1, "the test needs several batches to the page")
	var state State
	require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, Place{ParentID: pageID, After: middle}, &state))

	want := append(append([]string{"paragraph\x00first", "paragraph\x00middle"}, shape(treeJSON(t, blocks))...), "paragraph\x00last")
	assert.Equal(t, want, shape(fake.Children(pageID)))
}

// failSome queues from one to most faults of the given kinds on appends,
// each for one or two requests, and says which.
func failSome(rng *rand.Rand, fake *fakenotion.Server, kinds []fakenotion.Fault, most int) []string {
	var schedule []string
	for range 1 + rng.IntN(most) {
		f := kinds[rng.IntN(len(kinds))]
		f.Method, f.PathPrefix, f.Times = "PATCH", "/v1/blocks/", 1+rng.IntN(2)
		fake.Fail(f)
		schedule = append(schedule, fmt.Sprintf("%+v", f))
	}
	return schedule
}

// writeAll writes a plan at the end of the test page from the start.
func writeAll(fake *fakenotion.Server, plan *Plan) error {
	var state State
	return newWriter(fake, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state)
}

func countTop(p *Plan) int {
	n := 0
	for _, r := range p.Requests {
		if r.Parent == nil {
			n++
		}
	}
	return n
}

// TestFaultMatrix writes realistic documents through randomised schedules
// of every failure Notion and the network produce; the page must always end
// up holding exactly the tree, once, in order.
func TestFaultMatrix(t *testing.T) {
	kinds := []fakenotion.Fault{
		{Status: 429, RetryAfter: 0}, {Status: 500}, {Status: 502}, {Status: 503}, {Status: 504}, {Status: 529},
		{Reset: true}, {Reset: true, AfterApply: true}, {Status: 502, DelayMS: 2},
		{Status: 504, AfterApply: true}, {Status: 502, AfterApply: true, ApplyAfterMS: 2},
	}
	schedules := 0
	for d, name := range documents[:6] {
		blocks := doc(t, name)
		plan, want := planned(t, blocks)
		for s := range 36 {
			rng := rand.New(rand.NewPCG(uint64(d), uint64(s)))
			fake := newFake()
			schedule := failSome(rng, fake, kinds, 5)
			require.NoError(t, writeAll(fake, plan), "%s schedule %v", name, schedule)
			require.Equal(t, want, shape(fake.Children(pageID)), "%s schedule %v", name, schedule)
			schedules++
		}
	}
	assert.GreaterOrEqual(t, schedules, 200)
}

// TestResume stops a job at a random request, keeps only its JSON resume
// point, and finishes it with a new writer: nothing twice, nothing missing.
func TestResume(t *testing.T) {
	blocks := doc(t, "18-deep-mixed-list", "19-big-table", "07-list-children")
	plan, err := NewPlan(blocks)
	require.NoError(t, err)
	for stop := 1; stop < len(plan.Requests); stop++ {
		fake := newFake()
		ctx, cancel := context.WithCancel(context.Background())
		sent := 0
		w := newWriter(fake, func(Progress) {
			sent++
			if sent == stop {
				cancel()
			}
		})
		var state State
		err := w.Write(ctx, plan, Place{ParentID: pageID}, &state)
		require.ErrorIs(t, err, context.Canceled)
		saved, err := json.Marshal(state)
		require.NoError(t, err)

		var resumed State
		require.NoError(t, json.Unmarshal(saved, &resumed))
		require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &resumed))
		require.Equal(t, shape(treeJSON(t, blocks)), shape(fake.Children(pageID)), "stopped after request %d", stop)
	}
}

func TestHealsARefusedBlock(t *testing.T) {
	fake := newFake()
	good := paragraph("before")
	bad := map[string]any{"object": "block", "type": "code", "code": map[string]any{"language": "klingon", "rich_text": []any{map[string]any{"type": "text", "text": map[string]any{"content": "qapla'"}}}}}
	after := paragraph("after")
	plan := &Plan{Blocks: 3, Requests: []Request{{Children: []map[string]any{good, bad, after}, Blocks: 3}}}
	var state State
	require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state))
	assert.Equal(t, []string{"paragraph\x00before", "paragraph\x00qapla'", "paragraph\x00after"}, shape(fake.Children(pageID)))
	require.Len(t, state.Warnings, 1)
	assert.Contains(t, state.Warnings[0], "code")
}

func TestErrorsAreTyped(t *testing.T) {
	fake := newFake()
	plan, err := NewPlan(doc(t, "04-lists"))
	require.NoError(t, err)
	var state State
	err = New(client(fake), "ntn_wrong", nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state)
	var ne *notion.Error
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, notion.KindUnauthorized, ne.Kind)
	assert.Equal(t, 0, state.Next)
}

func TestWriteErrors(t *testing.T) {
	archivedID := "3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e"
	otherID := "2a1b9c8d-7e6f-40a1-b2c3-d4e5f6a7b8c9"
	tests := []struct {
		name     string
		secret   string
		parent   string
		fault    *fakenotion.Fault
		wantKind notion.Kind
		wantText string
	}{
		{name: "invalid secret", secret: "ntn_wrong", wantKind: notion.KindUnauthorized, wantText: "did not accept this token"},
		{name: "no insert capability", secret: "ntn_read_only", wantKind: notion.KindNoInsert, wantText: "Insert content"},
		{name: "not connected", parent: otherID, wantKind: notion.KindNotConnected, wantText: "isn’t connected to your integration yet"},
		{name: "archived page", parent: archivedID, wantKind: notion.KindArchived, wantText: "trash"},
		{name: "rate limited past the wait limit", fault: &fakenotion.Fault{Status: 429, RetryAfter: 1, Times: 100}, wantKind: notion.KindRateLimited, wantText: "asked it to wait 1 second"},
		{name: "notion unavailable", fault: &fakenotion.Fault{Status: 503, Times: 1 << 20}, wantKind: notion.KindUnavailable, wantText: "not answering"},
		{name: "block limit", fault: &fakenotion.Fault{Status: 400, Code: "validation_error", Message: "The workspace has reached its block limit."}, wantKind: notion.KindBlockLimit, wantText: "block limit"},
		{name: "validation that cannot be healed", fault: &fakenotion.Fault{Status: 400, Code: "validation_error", Message: "body failed validation: body.after should be a valid uuid."}, wantKind: notion.KindValidation, wantText: "copy the Markdown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakenotion.New(fakenotion.Seed{
				Integrations: []fakenotion.Integration{
					{Secret: secret, Name: "Bot", Workspace: "WS"},
					{Secret: "ntn_read_only", Name: "Reader", Workspace: "WS", NoInsert: true},
				},
				Pages: []fakenotion.Page{
					{ID: pageID, Title: "Target", Connected: []string{"Bot", "Reader"}},
					{ID: archivedID, Title: "Old", Archived: true, Connected: []string{"Bot"}},
					{ID: otherID, Title: "Private", Connected: []string{"Someone"}},
				},
			})
			if tt.fault != nil {
				f := *tt.fault
				f.PathPrefix = "/v1/blocks/"
				fake.Fail(f)
			}
			s, parent := secret, pageID
			if tt.secret != "" {
				s = tt.secret
			}
			if tt.parent != "" {
				parent = tt.parent
			}
			hc := testworld.NotionHTTP(fake.API(), testworld.NoWait, notion.WithMaxWait(50*time.Millisecond))
			plan, err := NewPlan(doc(t, "04-lists"))
			require.NoError(t, err)
			var state State
			err = New(hc, s, nil).Write(context.Background(), plan, Place{ParentID: parent}, &state)
			var ne *notion.Error
			require.ErrorAs(t, err, &ne)
			assert.Equal(t, tt.wantKind, ne.Kind, ne.Error())
			assert.Contains(t, ne.Message(), tt.wantText)
			assert.NotContains(t, ne.Message(), s)
			assert.Equal(t, 0, state.Next, "nothing confirmed")
		})
	}
}

// testPause is the writers' wait before a read-back in these tests: longer
// than any delayed apply the tests ask of the fake.
const testPause = 4 * time.Millisecond

// newWriter writes to the fake.
func newWriter(fake *fakenotion.Server, onProgress func(Progress), opts ...Option) *Writer {
	return New(client(fake), secret, onProgress, append([]Option{PauseBeforeReadBack(testPause)}, opts...)...)
}
