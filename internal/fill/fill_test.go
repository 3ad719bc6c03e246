//go:build !js

// The model's stream needs a real connection: an in-process handler answers
// only once it has finished.

package fill

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notion/limits"
	"github.com/visen/visen/internal/notionurl"
	"github.com/visen/visen/internal/rowtemplate"
	"github.com/visen/visen/internal/testworld"
	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
	"github.com/visen/visen/internal/writer"
)

const (
	secret = "ntn_fill_test_secret"
	key    = "sk-fill-test"
	dbID   = "4c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f"
)

func text(s string) map[string]any {
	return map[string]any{"rich_text": []any{map[string]any{"type": "text", "text": map[string]any{"content": s}}}}
}

// topics are the rows: a title, a topic, a channel. An empty topic and
// channel make a row with nothing to fill in.
var topics = [][3]string{
	{"Launch post", "our spring launch", "Blog"},
	{"Pricing FAQ", "the new prices", "Newsletter"},
	{"Empty idea", "", ""},
	{"Tips thread", "five writing tips", "Social"},
}

type world struct {
	notion *fakenotion.Server
	ai     *fakeai.Server
	runner *Runner
	schema []notion.Schema
	runs   []Run
	// hc reaches the fake Notion.
	hc *http.Client
}

func newWorld(t *testing.T, tmpl string, out Output) *world {
	t.Helper()
	return newWorldOf(t, topics, tmpl, out)
}

// newWorldOf is a database whose rows have these titles, topics and
// channels.
func newWorldOf(t *testing.T, topics [][3]string, tmpl string, out Output) *world {
	t.Helper()
	var pages []fakenotion.Page
	for i, tp := range topics {
		props := map[string]any{}
		if tp[1] != "" {
			props["Topic"] = text(tp[1])
		}
		if tp[2] != "" {
			props["Channel"] = map[string]any{"select": map[string]any{"name": tp[2]}}
		}
		if i == 0 {
			props["Related"] = map[string]any{"relation": []any{map[string]any{"id": fakenotion.RowID(2)}}}
		}
		pages = append(pages, fakenotion.Page{ID: fakenotion.RowID(i + 1), Title: tp[0], Parent: dbID, Properties: props})
	}
	tw := testworld.New(t,
		testworld.WithNotion(fakenotion.Seed{
			Integrations: []fakenotion.Integration{{Secret: secret, Name: "Bot", Workspace: "WS"}},
			Databases: []fakenotion.Database{{ID: dbID, Title: "Calendar", Connected: []string{"Bot"}, Properties: []fakenotion.Property{
				{Name: "Name", Type: "title"},
				{Name: "Topic", Type: "rich_text"},
				{Name: "Channel", Type: "select", Options: []fakenotion.Option{{Name: "Blog"}, {Name: "Newsletter"}, {Name: "Social"}}},
				{Name: "Summary", Type: "rich_text"},
				{Name: "Related", Type: "relation", RelationTo: strings.ReplaceAll(dbID, "-", "")},
			}}},
			Pages: pages,
		}),
		testworld.WithAI(fakeai.Config{Keys: []string{key}, Models: []string{"m"}, Answer: "Answer to: {{prompt}}"}),
		testworld.Streaming(),
	)
	hc := tw.NotionHTTP(testworld.NoWait)
	w := &world{notion: tw.Notion, ai: tw.AI, hc: hc}
	nc := notion.New(hc, secret)
	db, err := nc.Lookup(context.Background(), notionTarget(), "")
	require.NoError(t, err)
	w.schema = db.Properties
	tp, err := rowtemplate.Parse(tmpl, w.schema)
	require.NoError(t, err)
	w.runner = &Runner{
		Notion:        nc,
		Writer:        writer.New(hc, secret, nil),
		AI:            ai.New(tw.HTTP(), testworld.ModelURL, key),
		Request:       ai.Request{Model: "m"},
		DataSourceID:  db.DataSourceID,
		Schema:        w.schema,
		Template:      tp,
		Output:        out,
		OnUpdate:      func(r Run) { w.runs = append(w.runs, r) },
		RateLimitWait: time.Millisecond,
	}
	return w
}

func allRows() *Run {
	run := &Run{}
	for i, tp := range topics {
		run.Rows = append(run.Rows, Row{ID: fakenotion.RowID(i + 1), Title: tp[0], Status: Waiting})
	}
	return run
}

// bodyText is the plain text of a page's blocks, one line each.
func bodyText(w *world, id string) string {
	return strings.Join(fakenotion.Texts(w.notion.Children(id)), "\n")
}

// property is the plain text of a row's property, read back from Notion.
func property(t *testing.T, w *world, id, name string) string {
	t.Helper()
	row, err := notion.New(w.hc, secret).Row(context.Background(), id)
	require.NoError(t, err)
	return row.Properties[name].Text(nil)
}

func TestFillIntoTheBody(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}} for the {{ channel }}.", Output{})
	run := allRows()
	require.NoError(t, w.runner.Run(context.Background(), run))

	assert.Equal(t, "Answer to: Write about our spring launch for the Blog.", bodyText(w, fakenotion.RowID(1)))
	assert.Equal(t, "Answer to: Write about the new prices for the Newsletter.", bodyText(w, fakenotion.RowID(2)))
	assert.Empty(t, w.notion.Children(fakenotion.RowID(3)), "a row with nothing to fill in gets nothing")
	assert.Equal(t, "Answer to: Write about five writing tips for the Social.", bodyText(w, fakenotion.RowID(4)))

	statuses := []Status{}
	for _, r := range run.Rows {
		statuses = append(statuses, r.Status)
	}
	assert.Equal(t, []Status{Written, Written, Skipped, Written}, statuses)
	assert.Equal(t, "Nothing to fill in: Topic and Channel are empty.", run.Rows[2].Message)
	assert.Len(t, run.Rows[0].Blocks, 1)
	// One query for the rows' values, then for each row one look at its
	// page (so a read-back never takes a block that was there before) and
	// one append.
	assert.Equal(t, 1+3*2, run.Requests)
}

func TestFillIntoATextProperty(t *testing.T) {
	w := newWorld(t, "Summarise {{Topic}}.", Output{Property: "Summary"})
	w.ai.Configure(fakeai.Config{Keys: []string{key}, Models: []string{"m"}, Answer: "**Short:** {{prompt}}\n\n- one\n- two"})
	run := allRows()
	require.NoError(t, w.runner.Run(context.Background(), run))
	assert.Equal(t, "Short: Summarise our spring launch.\n• one\n• two", property(t, w, fakenotion.RowID(1), "Summary"))
	assert.Empty(t, w.notion.Children(fakenotion.RowID(1)), "the body is left alone")
	assert.Equal(t, Written, run.Rows[1].Status)
	assert.Equal(t, Skipped, run.Rows[2].Status)
	assert.Equal(t, 1+3, run.Requests)
}

func TestTooLongForThePropertyGoesToTheBody(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}}.", Output{Property: "Summary"})
	// 150 paragraphs of alternating bold and plain text need more than a
	// hundred rich-text items.
	var long strings.Builder
	for i := range 150 {
		fmt.Fprintf(&long, "**Point %d** and more.\n\n", i)
	}
	w.ai.Configure(fakeai.Config{Keys: []string{key}, Models: []string{"m"}, Answer: long.String()})
	run := &Run{Rows: []Row{{ID: fakenotion.RowID(1), Title: "Launch post", Status: Waiting}}}
	require.NoError(t, w.runner.Run(context.Background(), run))
	assert.Equal(t, Written, run.Rows[0].Status)
	assert.Contains(t, run.Rows[0].Message, "Too long for Summary")
	assert.Len(t, w.notion.Children(fakenotion.RowID(1)), 150)
	assert.Empty(t, property(t, w, fakenotion.RowID(1), "Summary"))
}

func TestOneRowFailingDoesNotStopTheOthers(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}}.", Output{})
	w.notion.Fail(fakenotion.Fault{Method: http.MethodPatch, PathPrefix: "/v1/blocks/" + fakenotion.RowID(2) + "/children", Status: 404})
	run := allRows()
	require.NoError(t, w.runner.Run(context.Background(), run))
	assert.Equal(t, Written, run.Rows[0].Status)
	assert.Equal(t, Failed, run.Rows[1].Status)
	assert.Contains(t, run.Rows[1].Message, "could not find this row")
	assert.Equal(t, Written, run.Rows[3].Status)
	assert.NotEmpty(t, bodyText(w, fakenotion.RowID(4)))

	// Resuming retries only the failed row, and writes it once.
	require.NoError(t, w.runner.Run(context.Background(), run))
	assert.Equal(t, Written, run.Rows[1].Status)
	for i := 1; i <= 4; i++ {
		if i != 3 {
			assert.Len(t, w.notion.Children(fakenotion.RowID(i)), 1, "row %d", i)
		}
	}
}

func TestCancelThenResumeWritesNoRowTwice(t *testing.T) {
	for _, n := range []int{1, 4} {
		t.Run(fmt.Sprintf("%d at once", n), func(t *testing.T) {
			w := newWorld(t, "Write about {{Topic}}.", Output{})
			w.runner.Concurrency = n
			ctx, cancel := context.WithCancel(context.Background())
			w.runner.OnUpdate = func(r Run) {
				if r.Rows[0].Status == Written {
					cancel()
				}
			}
			run := allRows()
			err := w.runner.Run(ctx, run)
			require.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, Written, run.Rows[0].Status)
			if n == 1 {
				assert.Equal(t, Waiting, run.Rows[1].Status)
			}
			for _, row := range run.Rows {
				assert.Contains(t, []Status{Written, Skipped, Waiting}, row.Status, "%s: a cancelled row waits for the resume", row.Title)
			}

			// The run survives as JSON, as the extension keeps it.
			raw, err := json.Marshal(run)
			require.NoError(t, err)
			var resumed Run
			require.NoError(t, json.Unmarshal(raw, &resumed))
			w.runner.OnUpdate = nil
			require.NoError(t, w.runner.Run(context.Background(), &resumed))
			// The written row is left as it was: not run again, not skipped.
			assert.Equal(t, Written, resumed.Rows[0].Status)
			assert.Empty(t, resumed.Rows[0].Message)
			assert.Equal(t, run.Rows[0].Blocks, resumed.Rows[0].Blocks)
			for i := 1; i <= 4; i++ {
				want := 1
				if i == 3 {
					want = 0
				}
				assert.Len(t, w.notion.Children(fakenotion.RowID(i)), want, "row %d", i)
			}
			var chats int
			for _, r := range w.ai.Requests() {
				if strings.HasSuffix(r.Path, "/chat/completions") {
					chats++
				}
			}
			assert.LessOrEqual(t, chats, 3+n, "a written row is not generated again")
		})
	}
}

func TestAFailureEveryRowWouldMeetStopsTheRun(t *testing.T) {
	for _, n := range []int{1, 8} {
		t.Run(fmt.Sprintf("%d at once", n), func(t *testing.T) {
			w := newWorld(t, "Write about {{Topic}}.", Output{})
			w.runner.Concurrency = n
			require.NoError(t, w.ai.Fail(fakeai.Fault{Kind: "unauthorized", Path: "/chat/completions", Times: len(topics)}))
			run := allRows()
			err := w.runner.Run(context.Background(), run)
			var ae *ai.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, Waiting, run.Rows[0].Status, "the row is kept to resume")
			assert.Equal(t, Waiting, run.Rows[3].Status)
			assert.Zero(t, run.Counts()[Failed], "no row is blamed for a failure every row meets")
		})
	}
}

func TestRowsGenerateSeveralAtOnce(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("%d at once", n), func(t *testing.T) {
			w := newWorld(t, "Write about {{Topic}}.", Output{})
			w.ai.Configure(fakeai.Config{Keys: []string{key}, Models: []string{"m"}, Answer: "Answer to: {{prompt}}", FirstTokenMillis: 100})
			w.runner.Concurrency = n
			peak := 0
			w.runner.OnUpdate = func(r Run) {
				peak = max(peak, r.Counts()[Generating])
			}
			run := allRows()
			require.NoError(t, w.runner.Run(context.Background(), run))
			assert.Equal(t, n, peak, "rows generating at once")
			for i := 1; i <= 4; i++ {
				if i != 3 {
					assert.Len(t, w.notion.Children(fakenotion.RowID(i)), 1, "row %d is written once", i)
				}
			}
			assert.Positive(t, run.Rate, "rows a minute")
			require.NotNil(t, run.ETA)
			assert.Zero(t, *run.ETA, "nothing left at the end")
		})
	}
}

func TestTheProvidersRetryAfterIsWaitedOut(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}}.", Output{})
	require.NoError(t, w.ai.Fail(fakeai.Fault{Kind: "rate_limited", Path: "/chat/completions", RetryAfter: 0.05}))
	// Without the provider's own wait, the runner would wait an hour.
	w.runner.RateLimitWait = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	run := &Run{Rows: []Row{{ID: fakenotion.RowID(1), Title: "Launch post", Status: Waiting}}}
	require.NoError(t, w.runner.Run(ctx, run))
	assert.Equal(t, Written, run.Rows[0].Status)
}

func TestTheGateSlowsDownOnRateLimitsAndRecoversSlowly(t *testing.T) {
	g := newGate(8)
	steps := []struct {
		do   func()
		want int
	}{
		{g.slower, 4},
		{g.slower, 2},
		{g.calm, 2},
		{g.calm, 3},
		{g.calm, 3},
		{g.calm, 3},
		{g.calm, 4},
		{g.slower, 2},
		{g.slower, 1},
		{g.slower, 1},
		{g.calm, 2},
	}
	for i, st := range steps {
		st.do()
		assert.Equal(t, st.want, g.current(), "step %d", i)
	}
}

func TestReplaceRemovesThePreviousOutput(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}}.", Output{})
	run := &Run{Rows: []Row{{ID: fakenotion.RowID(1), Title: "Launch post", Status: Waiting}}}
	require.NoError(t, w.runner.Run(context.Background(), run))
	first := run.Rows[0].Blocks

	w.runner.Output = Output{Replace: true}
	w.runner.Previous = map[string][]string{fakenotion.RowID(1): first}
	again := &Run{Rows: []Row{{ID: fakenotion.RowID(1), Title: "Launch post", Status: Waiting}}}
	require.NoError(t, w.runner.Run(context.Background(), again))
	kids := w.notion.Children(fakenotion.RowID(1))
	require.Len(t, kids, 1)
	assert.NotEqual(t, first[0], kids[0]["id"])
}

func TestAProviderRateLimitIsWaitedOut(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}}.", Output{})
	require.NoError(t, w.ai.Fail(fakeai.Fault{Kind: "rate_limited", Path: "/chat/completions", Times: 2}))
	run := &Run{Rows: []Row{{ID: fakenotion.RowID(1), Title: "Launch post", Status: Waiting}}}
	require.NoError(t, w.runner.Run(context.Background(), run))
	assert.Equal(t, Written, run.Rows[0].Status)
	assert.Len(t, w.notion.Children(fakenotion.RowID(1)), 1)
}

func TestPropertyTextKeepsFormattingWithinLimits(t *testing.T) {
	items, ok := propertyText("# Title\n\nSome **bold** and [a link](https://example.com).\n\n1. one\n2. two\n   - nested")
	require.True(t, ok)
	var plain strings.Builder
	for _, it := range items {
		plain.WriteString(it.Text.Content)
	}
	assert.Equal(t, "Title\nSome bold and a link.\n1. one\n2. two\n    • nested", plain.String())
	var bold, link bool
	for _, it := range items {
		bold = bold || (it.Annotations != nil && it.Annotations.Bold)
		link = link || (it.Text.Link != nil && it.Text.Link.Url == "https://example.com")
	}
	assert.True(t, bold)
	assert.True(t, link)

	long := strings.Repeat("word ", 3000)
	items, ok = propertyText(long)
	require.True(t, ok)
	for _, it := range items {
		assert.LessOrEqual(t, limits.UTF16Len(it.Text.Content), 2000)
	}
}

func notionTarget() notionurl.Address { return notionurl.Address{ID: dbID, Database: true} }

func TestTheProvidersRetryAfterIsCappedAndTheCapNamed(t *testing.T) {
	w := newWorld(t, "Write about {{Topic}}.", Output{})
	require.NoError(t, w.ai.Fail(fakeai.Fault{Kind: "rate_limited", Path: "/chat/completions", RetryAfter: 3600}))
	w.runner.MaxWait = 20 * time.Millisecond
	var waiting []string
	w.runner.OnUpdate = func(r Run) {
		if r.Rows[0].Status == Waiting && r.Rows[0].Message != "" {
			waiting = append(waiting, r.Rows[0].Message)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	run := &Run{Rows: []Row{{ID: fakenotion.RowID(1), Title: "Launch post", Status: Waiting}}}
	require.NoError(t, w.runner.Run(ctx, run), "an hour's Retry-After is not waited out")
	assert.Equal(t, Written, run.Rows[0].Status)
	require.NotEmpty(t, waiting)
	assert.Equal(t, "The AI provider asked to wait 1 hour; Visen waits at most 20 milliseconds, then tries again.", waiting[0])
}

func TestSpokenWaits(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour: "1 hour", 2 * time.Hour: "2 hours", time.Minute: "1 minute", 90 * time.Second: "90 seconds",
		time.Second: "1 second", 1500 * time.Millisecond: "2 seconds", 20 * time.Millisecond: "20 milliseconds",
	} {
		assert.Equal(t, want, spoken(d), d.String())
	}
}

// TestAtMostSixteenRowsGenerateAtOnce: however many rows at once a request
// asks for, no more than MaxConcurrency are generated together, so a
// provider's limit is not met by a burst of rows.
func TestAtMostSixteenRowsGenerateAtOnce(t *testing.T) {
	var rows [][3]string
	for i := range 24 {
		rows = append(rows, [3]string{fmt.Sprintf("Row %d", i), fmt.Sprintf("topic %d", i), "Blog"})
	}
	w := newWorldOf(t, rows, "Write about {{Topic}}.", Output{})
	w.ai.Configure(fakeai.Config{Keys: []string{key}, Models: []string{"m"}, Answer: "Answer to: {{prompt}}", FirstTokenMillis: 300})
	w.runner.Concurrency = 100
	peak := 0
	w.runner.OnUpdate = func(r Run) {
		peak = max(peak, r.Counts()[Generating])
	}
	run := allRowsOf(24)
	require.NoError(t, w.runner.Run(context.Background(), run))
	assert.Equal(t, MaxConcurrency, peak, "rows generating at once")
	assert.Equal(t, 24, run.Counts()[Written])
}

// TestRelationPlaceholdersReadTheRelatedTitles: a relation placeholder
// becomes the related pages' titles, read from Notion.
func TestRelationPlaceholdersReadTheRelatedTitles(t *testing.T) {
	w := newWorld(t, "Follow up on {{Related}}.", Output{})
	run := &Run{Rows: []Row{{ID: fakenotion.RowID(1), Title: "Launch post", Status: Waiting}}}
	require.NoError(t, w.runner.Run(context.Background(), run))
	assert.Equal(t, Written, run.Rows[0].Status)
	assert.Equal(t, "Answer to: Follow up on Pricing FAQ.", bodyText(w, fakenotion.RowID(1)))
}
