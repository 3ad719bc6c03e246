// Package fill runs one prompt template over rows of a Notion database:
// for each row, it renders the template with the row's properties, has the
// model answer, and writes the whole answer into the row's page body or
// into one of its text properties. Several rows run at once, fewer while
// the provider is limiting requests; a row's own failure
// is recorded and the run goes on, while a failure that would sink every
// row (a rejected secret or key, Notion or the provider down) stops the
// run. Its Run is plain JSON: a stopped run resumes without redoing rows
// that are written, nor writing a row's blocks twice.
package fill

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/convert/notion2md"
	"github.com/visen/visen/internal/failure"
	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/rowtemplate"
	"github.com/visen/visen/internal/writer"
)

// Status is where one row stands.
type Status string

// The statuses of a row.
const (
	Waiting    Status = "waiting"
	Generating Status = "generating"
	Writing    Status = "writing"
	Written    Status = "written"
	Failed     Status = "failed"
	Skipped    Status = "skipped"
)

// Output says where answers go.
type Output struct {
	// Property names the rich-text property to write into; empty means
	// the row's page body.
	Property string `json:"property,omitempty"`
	// Replace removes the blocks the previous run wrote into the body
	// before writing.
	Replace bool `json:"replace,omitempty"`
}

// Row is one row's state in a run.
type Row struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	URL    string `json:"url,omitempty"`
	Status Status `json:"status"`
	// Message says why a row failed or was skipped, or what a person
	// should know about a written one.
	Message string `json:"message,omitempty"`
	// Prompt is the rendered template, kept until the row is written.
	Prompt string `json:"prompt,omitempty"`
	// Markdown is the answer while it is not yet in Notion.
	Markdown string `json:"markdown,omitempty"`
	// Snapshot is a body write under way, to resume from. Its JSON name
	// is the one stored runs have.
	Snapshot *job.Snapshot `json:"job,omitempty"`
	// Replaced is set once the previous output is removed.
	Replaced bool `json:"replaced,omitempty"`
	// Blocks are the top-level blocks written into the body, which a
	// later run may replace.
	Blocks []string `json:"blocks,omitempty"`
}

// Run is a whole run's state.
type Run struct {
	Rows     []Row `json:"rows"`
	Requests int   `json:"requests"`
	// Rate is the rows finished a minute since the run last started, and
	// ETA the seconds left at that rate: nil until a row finishes.
	Rate float64  `json:"rate"`
	ETA  *float64 `json:"eta"`
}

// Counts returns how many rows have each status.
func (r *Run) Counts() map[Status]int {
	c := map[Status]int{}
	for _, row := range r.Rows {
		c[row.Status]++
	}
	return c
}

// The rows that generate at once: DefaultConcurrency unless the person
// chose between 1 and MaxConcurrency. Rows whose answers are in wait for
// Notion without holding a place.
const (
	DefaultConcurrency = 8
	MaxConcurrency     = 16
)

// DefaultMaxWait is the longest Visen waits on a provider's rate limit
// before trying a row again, whatever the provider asked for.
const DefaultMaxWait = time.Minute

// Runner is what a run needs.
type Runner struct {
	Notion  *notion.Client
	Writer  *writer.Writer
	AI      *ai.Client
	Request ai.Request
	// DataSourceID is the database's data source the rows come from.
	DataSourceID string
	Schema       []notion.Schema
	Template     *rowtemplate.Template
	// Query is the search and filter the rows were picked with; rows are
	// read a hundred at a time through it.
	Query  notion.RowQuery
	Output Output
	// Previous holds, by row, the blocks an earlier run wrote, for Replace.
	Previous map[string][]string
	// OnUpdate receives the run after every change worth showing. It is
	// called with the run locked, one call at a time.
	OnUpdate func(Run)
	// RateLimitWait is the first wait after the provider's rate limit when
	// it does not say how long; zero means ten seconds. Each further wait
	// doubles it, three at most.
	RateLimitWait time.Duration
	// MaxWait caps the wait a provider asks for in its Retry-After, so one
	// answer of an hour does not park a row for three; zero means
	// DefaultMaxWait.
	MaxWait time.Duration
	// Concurrency is how many rows generate at once; zero means
	// DefaultConcurrency.
	Concurrency int

	// unreadable holds the rows whose values Notion would not give, with
	// why; it is filled before rows run and only read after.
	unreadable map[string]error
	// mu guards the run, titles and the counts below while rows are in
	// flight.
	mu       sync.Mutex
	titles   map[string]string
	started  time.Time
	finished int
}

// Run goes through the rows that are not yet written or skipped, several
// at once. It returns ctx's error when cancelled, or the error that
// stopped the run; run stays valid to resume from either way.
func (r *Runner) Run(ctx context.Context, run *Run) error {
	r.unreadable = map[string]error{}
	values, err := r.values(ctx, run)
	if err != nil {
		return err
	}
	rowsCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := r.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	g := newGate(min(n, MaxConcurrency))
	r.mu.Lock()
	r.started, r.finished = time.Now(), 0
	r.mu.Unlock()
	var (
		wg      sync.WaitGroup
		stopped error
	)
	for i := range run.Rows {
		row := &run.Rows[i]
		// Only this loop and the row's own goroutine write a row, and the
		// row's goroutine has not started yet.
		if row.Status == Written || row.Status == Skipped {
			continue
		}
		if g.acquire(rowsCtx) != nil {
			break
		}
		wg.Add(1)
		// The place is for generating: a row gives it up once its answer
		// is in, and its write waits for Notion while the next generates.
		free := sync.OnceFunc(g.release)
		go func() {
			defer wg.Done()
			defer free()
			err := r.rowWithin(rowsCtx, run, row, values, g, free)
			r.mu.Lock()
			defer r.mu.Unlock()
			switch {
			case err == nil:
			case rowsCtx.Err() != nil:
				row.Status = Waiting
			case stopsRun(err):
				row.Status = Waiting
				if stopped == nil {
					stopped = err
				}
				cancel()
			default:
				row.Status, row.Message = Failed, rowMessage(err)
			}
			if row.Status != Waiting {
				r.finished++
			}
			r.updateLocked(run)
		}()
	}
	wg.Wait()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case stopped != nil:
		return stopped
	}
	return nil
}

// set changes the run under its lock and shows the change.
func (r *Runner) set(run *Run, change func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	change()
	r.updateLocked(run)
}

// updateLocked works out the pace and hands the run out; r.mu is held.
func (r *Runner) updateLocked(run *Run) {
	run.Rate, run.ETA = 0, nil
	if minutes := time.Since(r.started).Minutes(); r.finished > 0 && minutes > 0 {
		run.Rate = float64(r.finished) / minutes
		left := 0
		for _, row := range run.Rows {
			if row.Status != Written && row.Status != Skipped && row.Status != Failed {
				left++
			}
		}
		eta := float64(left) / run.Rate * 60
		run.ETA = &eta
	}
	if r.OnUpdate != nil {
		r.OnUpdate(*run)
	}
}

// values reads the properties of the rows still to do: through the query
// they were picked with, a hundred rows a request, then one by one for
// any the query no longer finds.
func (r *Runner) values(ctx context.Context, run *Run) (map[string]notion.Row, error) {
	need := map[string]bool{}
	for _, row := range run.Rows {
		if row.Status != Written && row.Status != Skipped && (row.Snapshot == nil || !row.Snapshot.Generated) && row.Markdown == "" {
			need[row.ID] = true
		}
	}
	got := map[string]notion.Row{}
	q := r.Query
	q.Cursor, q.PageSize = "", 100
	for len(need) > 0 {
		page, err := r.Notion.QueryRows(ctx, r.DataSourceID, r.Schema, q)
		run.Requests++
		if err != nil {
			var fe *notion.FilterError
			if errors.As(err, &fe) {
				break
			}
			return nil, err
		}
		for _, row := range page.Rows {
			if need[row.ID] {
				got[row.ID] = row
				delete(need, row.ID)
			}
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	for id := range need {
		row, err := r.Notion.Row(ctx, id)
		run.Requests++
		if err != nil {
			if stopsRun(err) {
				return nil, err
			}
			// A row Notion cannot find is gone; any other failure is the
			// row's own, kept with its cause for the row to report.
			if !isGone(err) {
				r.unreadable[id] = &readError{err}
			}
			continue
		}
		got[id] = *row
	}
	return got, nil
}

// readError is a row whose values Notion would not give.
type readError struct{ err error }

func (e *readError) Error() string { return "reading the row: " + e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// isGone reports a row Notion no longer has.
func isGone(err error) bool {
	var ne *notion.Error
	return errors.As(err, &ne) && (ne.Kind == notion.KindNotConnected || ne.Kind == notion.KindArchived)
}

// rowWithin runs a row, waiting out the provider's rate limit a few
// times: each one lowers how many rows run at once, and the wait is the
// one the provider asked for when it said.
func (r *Runner) rowWithin(ctx context.Context, run *Run, row *Row, values map[string]notion.Row, g *gate, free func()) error {
	wait := r.RateLimitWait
	if wait == 0 {
		wait = 10 * time.Second
	}
	for attempt := 0; ; attempt++ {
		err := r.row(ctx, run, row, values, free)
		var ae *ai.Error
		if err == nil || attempt == 3 || !errors.As(err, &ae) || ae.Kind != ai.KindRateLimited {
			if err == nil {
				g.calm()
			}
			return err
		}
		g.slower()
		pause, message := wait<<attempt, "The AI provider is limiting requests: waiting, then trying again."
		limit := cmp.Or(r.MaxWait, DefaultMaxWait)
		if ae.RetryAfter > 0 {
			pause = ae.RetryAfter
		}
		if ae.RetryAfter > limit {
			message = fmt.Sprintf("The AI provider asked to wait %s; Visen waits at most %s, then tries again.", spoken(ae.RetryAfter), spoken(limit))
		}
		pause = min(pause, limit)
		r.set(run, func() { row.Status, row.Message = Waiting, message })
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
}

// spoken is a wait as a person says it: "90 seconds", "1 minute", "2 hours".
func spoken(d time.Duration) string {
	unit, n := "second", int(d.Round(time.Second)/time.Second)
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		unit, n = "hour", int(d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		unit, n = "minute", int(d/time.Minute)
	case d < time.Second:
		unit, n = "millisecond", int(d/time.Millisecond)
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// row runs one row, calling free once it needs the model no more.
func (r *Runner) row(ctx context.Context, run *Run, row *Row, values map[string]notion.Row, free func()) error {
	r.set(run, func() { row.Message = "" })
	if row.Snapshot != nil && row.Snapshot.Generated || row.Markdown != "" {
		free()
	}
	switch {
	case row.Snapshot != nil && row.Snapshot.Generated:
		return r.toBody(ctx, run, row, row.Snapshot)
	case row.Markdown != "" && r.Output.Property != "":
		return r.writeProperty(ctx, run, row)
	case row.Markdown != "":
		// An answer whose write never started: where it goes may have
		// been read already, and is kept.
		snap := &job.Snapshot{}
		if row.Snapshot != nil {
			snap = row.Snapshot
		}
		snap.Markdown, snap.Generated = row.Markdown, true
		return r.toBody(ctx, run, row, snap)
	}
	v, ok := values[row.ID]
	if err := r.unreadable[row.ID]; !ok && err != nil {
		return err
	}
	if !ok || v.Archived {
		r.set(run, func() { row.Status, row.Message = Skipped, "This row is no longer in the database." })
		return nil
	}
	props, err := r.withPageContent(ctx, row.ID, v.Properties)
	if err != nil {
		return err
	}
	if empty := r.Template.Empty(props); len(r.Template.Names()) > 0 && len(empty) == len(r.Template.Names()) {
		r.set(run, func() {
			row.Status, row.Message = Skipped, fmt.Sprintf("Nothing to fill in: %s %s empty.", joinNames(empty), isAre(len(empty)))
		})
		return nil
	}
	if row.Prompt == "" {
		prompt := r.Template.Render(props, r.relationTitles(ctx, run, r.Template.RelationIDs(props)))
		r.set(run, func() { row.Prompt = prompt })
	}
	r.set(run, func() { row.Status = Generating })
	var (
		snap   = row.Snapshot
		target writer.Place
		opts   []writer.Option
		ready  = make(chan error, 1)
	)
	if r.Output.Property == "" {
		// Where the answer will start is read and kept while the model
		// writes it: by the time anything is written, a stored run knows
		// which blocks are the row's, however far behind its storage is.
		if snap == nil {
			snap = &job.Snapshot{}
		}
		go func() {
			var err error
			target, opts, err = r.ready(ctx, run, row, snap)
			ready <- err
		}()
	} else {
		ready <- nil
	}
	req := r.Request
	req.Prompt = row.Prompt
	// Rows are not watched block by block: the whole answer is written at
	// once, in as few requests as Notion's limits allow.
	text, err := r.AI.Stream(ctx, req, func(string) {})
	if rerr := <-ready; err == nil && rerr != nil {
		// The answer is kept: a retry writes it without asking again.
		r.set(run, func() { row.Markdown = text })
		return rerr
	}
	if err != nil {
		return err
	}
	free()
	if r.Output.Property != "" {
		r.set(run, func() { row.Markdown, row.Status = text, Writing })
		return r.writeProperty(ctx, run, row)
	}
	snap.Markdown, snap.Generated = text, true
	kept := *snap
	r.set(run, func() { row.Markdown, row.Status, row.Snapshot = text, Writing, &kept })
	return r.write(ctx, run, row, snap, target, opts)
}

// withPageContent adds the row's page body to its values when the
// template has {{Page content}}, read whole in one request: block by block
// it would cost one request per hundred blocks of every parent, on every
// row.
func (r *Runner) withPageContent(ctx context.Context, pageID string, values map[string]notion.Value) (map[string]notion.Value, error) {
	if !r.Template.UsesPageContent() {
		return values, nil
	}
	read, err := r.Notion.ReadWhole(ctx, pageID)
	if err != nil {
		return nil, err
	}
	return rowtemplate.WithPageContent(values, notion2md.Markdown(read.Blocks)), nil
}

func (r *Runner) relationTitles(ctx context.Context, run *Run, ids []string) func(string) (string, bool) {
	r.mu.Lock()
	if r.titles == nil {
		r.titles = map[string]string{}
	}
	var missing []string
	for _, id := range ids {
		if _, ok := r.titles[id]; !ok {
			missing = append(missing, id)
		}
	}
	r.mu.Unlock()
	for _, id := range missing {
		// A related page the integration cannot read keeps no title.
		row, err := r.Notion.Row(ctx, id)
		title := ""
		if err == nil {
			title = row.Title
		}
		r.set(run, func() {
			run.Requests++
			r.titles[id] = title
		})
	}
	r.mu.Lock()
	titles := maps.Clone(r.titles)
	r.mu.Unlock()
	return func(id string) (string, bool) {
		t, ok := titles[id]
		return t, ok && t != ""
	}
}

// toBody writes the answer into the row's page, after removing the
// previous output when asked.
func (r *Runner) toBody(ctx context.Context, run *Run, row *Row, snap *job.Snapshot) error {
	if snap.Phase == job.Done {
		// Stored after the last write but before the row was marked.
		return r.written(run, row, snap, snap.Requests)
	}
	target, opts, err := r.ready(ctx, run, row, snap)
	if err != nil {
		return err
	}
	return r.write(ctx, run, row, snap, target, opts)
}

// ready removes the previous output when asked, then readies the row's
// body for snap: rows start and resume through the same path as pages,
// each in a writing session of its own, anchored where its blocks start.
func (r *Runner) ready(ctx context.Context, run *Run, row *Row, snap *job.Snapshot) (writer.Place, []writer.Option, error) {
	if r.Output.Replace && !row.Replaced {
		for _, id := range r.Previous[row.ID] {
			err := r.Notion.DeleteBlock(ctx, id)
			r.set(run, func() { run.Requests++ })
			if err != nil {
				return writer.Place{}, nil, err
			}
		}
		r.set(run, func() { row.Replaced = true })
	}
	requests := snap.Requests
	target, opts, err := job.Ready(ctx, r.Writer, snap, writer.Place{ParentID: row.ID})
	kept := *snap
	r.set(run, func() {
		run.Requests += snap.Requests - requests
		if err == nil {
			row.Snapshot = &kept
		}
	})
	return target, opts, err
}

// write runs the job that writes snap into the row's body.
func (r *Runner) write(ctx context.Context, run *Run, row *Row, snap *job.Snapshot, target writer.Place, opts []writer.Option) error {
	requests := snap.Requests
	j := &job.Job{
		Writer:  r.Writer,
		Target:  target,
		Options: opts,
		Delete:  r.Notion.DeleteBlock,
		OnUpdate: func(u job.Update) {
			// The snapshot comes after every request Notion confirmed, so
			// a stored run is never far behind the page.
			if u.Snapshot != nil {
				u.Snapshot.Markdown = snap.Markdown
				r.set(run, func() { row.Status, row.Snapshot = Writing, u.Snapshot })
			}
		},
	}
	if err := j.Run(ctx, snap); err != nil {
		r.mu.Lock()
		defer r.mu.Unlock()
		run.Requests += snap.Requests - requests
		row.Snapshot = snap
		return err
	}
	return r.written(run, row, snap, requests)
}

// written marks a row whose answer is in its body; requests is what the
// snapshot had counted when the run took it over.
func (r *Runner) written(run *Run, row *Row, snap *job.Snapshot, requests int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	run.Requests += snap.Requests - requests
	row.Blocks = append(row.Blocks, snap.Written...)
	if len(snap.Warnings) > 0 && row.Message == "" {
		row.Message = strings.Join(snap.Warnings, " ")
	}
	row.Snapshot, row.Markdown, row.Prompt, row.Status = nil, "", "", Written
	return nil
}

func (r *Runner) writeProperty(ctx context.Context, run *Run, row *Row) error {
	r.set(run, func() { row.Status = Writing })
	items, fits := propertyText(row.Markdown)
	if !fits {
		// Longer than a property holds: the answer goes into the body,
		// whole, and the person is told.
		snap := &job.Snapshot{Markdown: row.Markdown, Generated: true}
		if err := r.toBody(ctx, run, row, snap); err != nil {
			return err
		}
		r.set(run, func() {
			row.Message = fmt.Sprintf("Too long for %s (Notion takes up to 100 pieces of text there): written into the page body instead.", r.Output.Property)
		})
		return nil
	}
	if items == nil {
		items = []notionapi.RichText{}
	}
	err := r.Notion.UpdateProperties(ctx, row.ID, map[string]any{r.Output.Property: map[string]any{"rich_text": items}})
	r.mu.Lock()
	defer r.mu.Unlock()
	run.Requests++
	if err != nil {
		return err
	}
	row.Markdown, row.Prompt, row.Status = "", "", Written
	return nil
}

// stopsRun reports a failure every later row would meet too.
func stopsRun(err error) bool {
	var ne *notion.Error
	if errors.As(err, &ne) {
		switch ne.Kind {
		case notion.KindNotConnected, notion.KindArchived, notion.KindValidation:
			return false
		}
		return true
	}
	var ae *ai.Error
	if errors.As(err, &ae) {
		return ae.Kind != ai.KindContextTooLong
	}
	return true
}

// rowMessage is the reason a row failed, in the row's terms.
func rowMessage(err error) string {
	var ne *notion.Error
	var re *readError
	if errors.As(err, &re) && errors.As(err, &ne) {
		return "Notion would not give this row’s values: " + ne.Message()
	}
	if errors.As(err, &ne) {
		switch ne.Kind {
		case notion.KindNotConnected:
			return "Notion could not find this row’s page: it may have been deleted or moved."
		case notion.KindArchived:
			return "This row’s page is in Notion’s trash."
		case notion.KindValidation:
			return "Notion refused the answer for this row as invalid."
		}
	}
	var ae *ai.Error
	if errors.As(err, &ae) && ae.Kind == ai.KindContextTooLong {
		return "The prompt for this row is too long for the model."
	}
	var fe failure.Error
	if errors.As(err, &fe) {
		return fe.Message()
	}
	return "Something went wrong with this row."
}

func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// gate lets at most limit rows run at once. A provider's rate limit
// halves the limit; every limit rows that finish without one raise it by
// one again, up to where it started.
type gate struct {
	mu                    sync.Mutex
	limit, max, busy, run int
	wake                  chan struct{}
}

func newGate(n int) *gate {
	return &gate{limit: n, max: n, wake: make(chan struct{})}
}

// acquire waits for a free place, or for ctx to end.
func (g *gate) acquire(ctx context.Context) error {
	for {
		g.mu.Lock()
		if g.busy < g.limit {
			g.busy++
			g.mu.Unlock()
			return nil
		}
		wake := g.wake
		g.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		}
	}
}

func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.busy--
	g.signal()
}

// signal wakes every waiter to look again; g.mu is held.
func (g *gate) signal() {
	close(g.wake)
	g.wake = make(chan struct{})
}

func (g *gate) slower() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.limit, g.run = max(1, g.limit/2), 0
}

func (g *gate) calm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.run++; g.run >= g.limit && g.limit < g.max {
		g.limit, g.run = g.limit+1, 0
		g.signal()
	}
}

// current is how many rows may run at once now.
func (g *gate) current() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limit
}
