// Package fill runs one prompt template over rows of a Notion database:
// for each row, it renders the template with the row's properties, has the
// model answer, and writes the answer into the row's page body or into one
// of its text properties. Rows run one after another; a row's own failure
// is recorded and the run goes on, while a failure that would sink every
// row (a rejected secret or key, Notion or the provider down) stops the
// run. Its Run is plain JSON: a stopped run resumes without redoing rows
// that are written, nor writing a row's blocks twice.
package fill

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notionmd"
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
	// Job is a body write under way, to resume from.
	Job *job.Snapshot `json:"job,omitempty"`
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
}

// Counts returns how many rows have each status.
func (r *Run) Counts() map[Status]int {
	c := map[Status]int{}
	for _, row := range r.Rows {
		c[row.Status]++
	}
	return c
}

// Runner is what a run needs.
type Runner struct {
	Notion     *notion.Client
	Writer     *writer.Writer
	AI         *ai.Client
	Request    ai.Request
	DatabaseID string
	Schema     []notion.Schema
	Template   *rowtemplate.Template
	// Query is the search and filter the rows were picked with; rows are
	// read a hundred at a time through it.
	Query  notion.RowQuery
	Output Output
	// Previous holds, by row, the blocks an earlier run wrote, for Replace.
	Previous map[string][]string
	// OnUpdate receives the run after every change worth showing.
	OnUpdate func(Run)
	// RateLimitWait is the first wait after the provider's rate limit;
	// zero means ten seconds. Each further wait doubles it, three at most.
	RateLimitWait time.Duration

	titles map[string]string
}

// Run goes through the rows that are not yet written or skipped. It
// returns ctx's error when cancelled, or the error that stopped the run;
// run stays valid to resume from either way.
func (r *Runner) Run(ctx context.Context, run *Run) error {
	values, err := r.values(ctx, run)
	if err != nil {
		return err
	}
	for i := range run.Rows {
		row := &run.Rows[i]
		if row.Status == Written || row.Status == Skipped {
			continue
		}
		err := r.rowWithin(ctx, run, row, values)
		switch {
		case err == nil:
		case ctx.Err() != nil:
			row.Status = Waiting
			r.update(run)
			return ctx.Err()
		case stopsRun(err):
			row.Status = Waiting
			r.update(run)
			return err
		default:
			row.Status, row.Message = Failed, rowMessage(err)
		}
		r.update(run)
	}
	return nil
}

func (r *Runner) update(run *Run) {
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
		if row.Status != Written && row.Status != Skipped && row.Job == nil && row.Markdown == "" {
			need[row.ID] = true
		}
	}
	got := map[string]notion.Row{}
	q := r.Query
	q.Cursor, q.PageSize = "", 100
	for len(need) > 0 {
		page, err := r.Notion.QueryRows(ctx, r.DatabaseID, r.Schema, q)
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
			continue
		}
		got[id] = *row
	}
	return got, nil
}

// rowWithin runs a row, waiting out the provider's rate limit a few times.
func (r *Runner) rowWithin(ctx context.Context, run *Run, row *Row, values map[string]notion.Row) error {
	wait := r.RateLimitWait
	if wait == 0 {
		wait = 10 * time.Second
	}
	for attempt := 0; ; attempt++ {
		err := r.row(ctx, run, row, values)
		var ae *ai.Error
		if err == nil || attempt == 3 || !errors.As(err, &ae) || ae.Kind != ai.KindRateLimited {
			return err
		}
		row.Status, row.Message = Waiting, "The AI provider is limiting requests: waiting, then trying again."
		r.update(run)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait << attempt):
		}
	}
}

func (r *Runner) row(ctx context.Context, run *Run, row *Row, values map[string]notion.Row) error {
	row.Message = ""
	if row.Job == nil && row.Markdown == "" {
		v, ok := values[row.ID]
		if !ok || v.Archived {
			row.Status, row.Message = Skipped, "This row is no longer in the database."
			return nil
		}
		props, err := r.withPageContent(ctx, row.ID, v.Properties)
		if err != nil {
			return err
		}
		if empty := r.Template.Empty(props); len(r.Template.Names()) > 0 && len(empty) == len(r.Template.Names()) {
			row.Status, row.Message = Skipped, fmt.Sprintf("Nothing to fill in: %s %s empty.", joinNames(empty), isAre(len(empty)))
			return nil
		}
		if row.Prompt == "" {
			row.Prompt = r.Template.Render(props, r.relationTitles(ctx, run, r.Template.RelationIDs(props)))
		}
		if r.Output.Property != "" {
			return r.toProperty(ctx, run, row)
		}
		return r.toBody(ctx, run, row, &job.Snapshot{})
	}
	if row.Job != nil {
		return r.toBody(ctx, run, row, row.Job)
	}
	// An answer for a property that was not yet written.
	return r.writeProperty(ctx, run, row)
}

// withPageContent adds the row's page body to its values when the
// template has {{Page content}}.
func (r *Runner) withPageContent(ctx context.Context, pageID string, values map[string]notion.Value) (map[string]notion.Value, error) {
	if !r.Template.UsesPageContent() {
		return values, nil
	}
	read, err := r.Notion.ReadPage(ctx, pageID)
	if err != nil {
		return nil, err
	}
	return rowtemplate.WithPageContent(values, notionmd.Markdown(read.Blocks)), nil
}

func (r *Runner) relationTitles(ctx context.Context, run *Run, ids []string) func(string) (string, bool) {
	if r.titles == nil {
		r.titles = map[string]string{}
	}
	for _, id := range ids {
		if _, ok := r.titles[id]; ok {
			continue
		}
		// A related page the integration cannot read keeps no title.
		row, err := r.Notion.Row(ctx, id)
		run.Requests++
		r.titles[id] = ""
		if err == nil {
			r.titles[id] = row.Title
		}
	}
	return func(id string) (string, bool) {
		t, ok := r.titles[id]
		return t, ok && t != ""
	}
}

// toBody streams the answer into the row's page, as a generation into a
// page does, after removing the previous output when asked.
func (r *Runner) toBody(ctx context.Context, run *Run, row *Row, snap *job.Snapshot) error {
	if r.Output.Replace && !row.Replaced {
		for _, id := range r.Previous[row.ID] {
			if err := r.Notion.DeleteBlock(ctx, id); err != nil {
				return err
			}
			run.Requests++
		}
		row.Replaced = true
	}
	requests := snap.Requests
	req := r.Request
	req.Prompt = row.Prompt
	j := &job.Job{
		AI:      r.AI,
		Request: req,
		Writer:  r.Writer,
		Target:  writer.Target{ParentID: row.ID},
		Delete:  r.Notion.DeleteBlock,
		OnUpdate: func(s job.Snapshot) {
			status := Generating
			if s.Phase == job.Writing {
				status = Writing
			}
			// Every write is shown and kept, so a resume knows what
			// landed; the text alone changes too often to.
			changed := row.Status != status || row.Job == nil || row.Job.Requests != s.Requests || (s.Batch == nil) != (row.Job.Batch == nil)
			row.Status = status
			row.Job = &s
			if changed {
				r.update(run)
			}
		},
	}
	row.Job = snap
	err := j.Run(ctx, snap)
	run.Requests += snap.Requests - requests
	row.Job = snap
	if err != nil {
		return err
	}
	row.Blocks = append(row.Blocks, snap.Written...)
	if len(snap.Warnings) > 0 && row.Message == "" {
		row.Message = strings.Join(snap.Warnings, " ")
	}
	row.Job, row.Markdown, row.Prompt, row.Status = nil, "", "", Written
	return nil
}

// toProperty has the model answer whole, then writes it into the text
// property.
func (r *Runner) toProperty(ctx context.Context, run *Run, row *Row) error {
	row.Status = Generating
	r.update(run)
	req := r.Request
	req.Prompt = row.Prompt
	text, err := r.AI.Stream(ctx, req, func(string) {})
	if err != nil {
		return err
	}
	row.Markdown = text
	return r.writeProperty(ctx, run, row)
}

func (r *Runner) writeProperty(ctx context.Context, run *Run, row *Row) error {
	row.Status = Writing
	r.update(run)
	items, fits := propertyText(row.Markdown)
	if !fits {
		// Longer than a property holds: the answer goes into the body,
		// whole, and the person is told.
		snap := &job.Snapshot{Markdown: row.Markdown, Generated: true}
		if err := r.toBody(ctx, run, row, snap); err != nil {
			return err
		}
		row.Message = fmt.Sprintf("Too long for %s (Notion takes up to 100 pieces of text there): written into the page body instead.", r.Output.Property)
		return nil
	}
	if items == nil {
		items = []notionapi.RichText{}
	}
	err := r.Notion.UpdateProperties(ctx, row.ID, map[string]any{r.Output.Property: map[string]any{"rich_text": items}})
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
	if errors.As(err, &ne) {
		switch ne.Kind {
		case notion.KindNotConnected:
			return "Notion could not find this row’s page: it may have been deleted or moved."
		case notion.KindArchived:
			return "This row’s page is in Notion’s trash."
		case notion.KindValidation:
			return "Notion refused the answer for this row as invalid."
		}
		return ne.Message()
	}
	var ae *ai.Error
	if errors.As(err, &ae) {
		if ae.Kind == ai.KindContextTooLong {
			return "The prompt for this row is too long for the model."
		}
		return ae.Message()
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
