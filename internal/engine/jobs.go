package engine

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/ai"
	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notionurl"
	"github.com/visen/visen/internal/writer"
)

// GenerateRequest starts or resumes a generation into a page.
type GenerateRequest struct {
	JobID string `json:"jobId"`
	Writing
	Prompt string `json:"prompt"`
	PageID string `json:"pageId"`
	// After is the block to insert after; empty writes at the end.
	After string `json:"after,omitempty"`
	// Anchored says After was read from the page when the job started
	// (the update's anchor), so an empty one means the page was empty.
	Anchored bool `json:"anchored,omitempty"`
	// ParentKnown says PageID is the block After is nested in, or the
	// page when After is one of its own blocks, as read from the page;
	// otherwise a new job asks Notion where After is.
	ParentKnown bool `json:"parentKnown,omitempty"`
	// AtStart, with After empty, writes the answer at the very top of the
	// page.
	AtStart bool `json:"atStart,omitempty"`
	// Snapshot resumes a job that stopped; nil starts afresh.
	Snapshot *job.Snapshot `json:"snapshot,omitempty"`
	// AnswerOnly shows the answer without writing it: no Notion request
	// is made.
	AnswerOnly bool `json:"answerOnly,omitempty"`
	// Markdown, when set, is an answer already generated: it is written as
	// it is and the model is not called, so the AI settings may be empty.
	Markdown *string `json:"markdown,omitempty"`
	// NewPage, when set, writes into a new page of that database instead
	// of PageID.
	NewPage *NewPage `json:"newPage,omitempty"`
}

// NewPage is a page to make in a database: its title (empty: after the
// text's first heading) and simple property values by name.
type NewPage struct {
	DatabaseID string `json:"databaseId"`
	// DataSourceID is the database's data source; empty means its first.
	DataSourceID string            `json:"dataSourceId,omitempty"`
	Schema       []notion.Schema   `json:"properties"`
	Title        string            `json:"title"`
	Values       map[string]string `json:"values"`
}

// Writing is what every job needs: where it reaches Notion and the model,
// and how the model should write.
type Writing struct {
	NotionSecret string `json:"notionSecret"`
	AIConnection
	Model        string  `json:"model"`
	Temperature  float32 `json:"temperature"`
	MaxTokens    int     `json:"maxTokens"`
	Instructions string  `json:"instructions"`
}

// request is the model request for a prompt, with the user's settings.
func (w Writing) request(prompt string) ai.Request {
	return ai.Request{Model: w.Model, Prompt: prompt, Instructions: w.Instructions, Temperature: w.Temperature, MaxTokens: w.MaxTokens}
}

// running tracks the generations and Fill runs under way, by job ID, so
// each can be cancelled and only one runs per page or database.
type running struct {
	mu      sync.Mutex
	cancels map[string]context.CancelFunc
	pages   map[string]string
}

// Generate runs a generation, reporting what changes through onUpdate as
// JSON job.Update values, and returns the final reply: the snapshot, or
// the failure with it.
func (e *Engine) Generate(ctx context.Context, payload []byte, onUpdate func([]byte)) []byte {
	req, err := decode[GenerateRequest](payload)
	if err != nil {
		return marshalReply(Reply{Error: failureOf(err)})
	}
	if req.AnswerOnly {
		return e.answer(ctx, req, onUpdate)
	}
	answer := ""
	if req.Markdown != nil {
		if answer = *req.Markdown; strings.TrimSpace(answer) == "" {
			return marshalReply(Reply{Error: failureOf(&inputError{"no_answer", "There is no answer to insert."})})
		}
	}
	target := req.PageID
	var (
		newPage   func(ctx context.Context, cr *job.Creating, title string) (string, error)
		pageTitle string
	)
	if np := req.NewPage; np != nil {
		pageTitle = strings.TrimSpace(np.Title)
		// Pages made in a database are each their own target.
		target = req.JobID
		if _, err := newPageProperties(np.Schema, "", np.Values); err != nil {
			return marshalReply(Reply{Error: failureOf(err)})
		}
		c := notion.New(e.notionHTTP, req.NotionSecret)
		newPage = func(ctx context.Context, cr *job.Creating, title string) (string, error) {
			props, err := newPageProperties(np.Schema, title, np.Values)
			if err != nil {
				return "", err
			}
			source, err := dataSource(ctx, c, np.DatabaseID, np.DataSourceID)
			if err != nil {
				return "", err
			}
			return createOnce(ctx, cr, func(ctx context.Context) ([]string, error) {
				return c.RowsTitled(ctx, source, title)
			}, func(ctx context.Context) (string, error) {
				row, err := c.CreateRow(ctx, source, props)
				if err != nil {
					return "", err
				}
				return row.ID, nil
			})
		}
	}
	ctx, done, busy := e.running.start(ctx, req.JobID, target)
	if busy != nil {
		return marshalReply(Reply{Error: busy})
	}
	defer done()

	snap := req.Snapshot
	place := writer.Place{ParentID: req.PageID, After: req.After, Anchored: req.Anchored || req.NewPage != nil}
	// With no block to go after, atStart puts the answer above the page's
	// first block; a database's new page has nothing above.
	place.Start = req.AtStart && req.After == "" && req.NewPage == nil
	if snap == nil {
		snap = freshSnapshot()
		if !place.Start && !place.Anchored && place.After != "" && !req.ParentKnown {
			// Notion appends only among a block's own children: after a
			// block nested in another (a cursor in a list item), the
			// answer goes into that one. The update names it for resumes.
			if err := e.nestParent(ctx, req.NotionSecret, &place); err != nil {
				return marshalReply(Reply{Error: failureOf(e.explain(ctx, err, req.NotionSecret))})
			}
		}
	}
	w := writer.New(e.notionHTTP, req.NotionSecret, nil)
	place, opts, err := ready(ctx, w, snap, place)
	if err != nil {
		return marshalReply(Reply{Error: failureOf(e.explain(ctx, err, req.NotionSecret))})
	}
	api := notionapi.NewClient(notionapi.Token(req.NotionSecret), notionapi.WithHTTPClient(e.notionHTTP), notionapi.WithRetry(1))
	j := &job.Job{
		Request: req.request(req.Prompt),
		Answer:  answer,
		Writer:  w,
		Target:  place,
		Options: opts,
		NewPage: newPage,
		Title:   pageTitle,
		Delete: func(ctx context.Context, id string) error {
			_, err := api.Block.Delete(ctx, notionapi.BlockID(id))
			return err
		},
		OnUpdate: func(u job.Update) {
			if raw, err := json.Marshal(anchoredUpdate{u, place.After, place.Anchored, place.ParentID}); err == nil {
				onUpdate(raw)
			}
		},
	}
	if req.Markdown == nil {
		// An answer to insert needs no model: its settings are not read.
		j.AI = e.provider(req.AIConnection)
	}
	return e.run(ctx, j, snap, "Stopped. What was written stays in the page.", req.NotionSecret)
}

// answer runs a job that only shows its answer: nothing is written and no
// Notion request is made, so it does not hold the page, and a write into
// the same page may run beside it.
func (e *Engine) answer(ctx context.Context, req GenerateRequest, onUpdate func([]byte)) []byte {
	ctx, done, busy := e.running.start(ctx, req.JobID, req.JobID)
	if busy != nil {
		return marshalReply(Reply{Error: busy})
	}
	defer done()
	snap := req.Snapshot
	if snap == nil {
		snap = freshSnapshot()
	} else if _, _, err := ready(ctx, nil, snap, writer.Place{}); err != nil {
		return marshalReply(Reply{Error: failureOf(err)})
	}
	j := &job.Job{
		AI:      e.provider(req.AIConnection),
		Request: req.request(req.Prompt),
		OnUpdate: func(u job.Update) {
			if raw, err := json.Marshal(u); err == nil {
				onUpdate(raw)
			}
		},
	}
	return e.run(ctx, j, snap, "Stopped.", req.NotionSecret)
}

// freshSnapshot is a new job's state, whose lists read as empty rather
// than null.
func freshSnapshot() *job.Snapshot {
	return &job.Snapshot{Written: []string{}, Sums: []string{}, Sizes: []int{}}
}

// run runs a job from snap and replies with the snapshot, and the failure
// when there is one, explained for the job's Notion token; stopped is what
// a cancel says.
func (e *Engine) run(ctx context.Context, j *job.Job, snap *job.Snapshot, stopped, secret string) []byte {
	err := j.Run(ctx, snap)
	switch {
	case err == nil:
		return marshalReply(Reply{OK: true, Data: snap})
	case ctx.Err() != nil:
		snap.Phase = job.Cancelled
		return marshalReply(Reply{Data: snap, Error: &Failure{Code: "cancelled", Message: stopped}})
	}
	snap.Phase = job.Failed
	return marshalReply(Reply{Data: snap, Error: failureOf(e.explain(ctx, err, secret))})
}

// anchoredUpdate is an update with where the job's blocks start, for the
// extension to send back on resume as After and Anchored.
type anchoredUpdate struct {
	job.Update
	Anchor   string `json:"anchor"`
	Anchored bool   `json:"anchored"`
	// Parent is where the job writes: the page, or the block the block
	// it writes after is nested in; a resume sends it back as PageID.
	Parent string `json:"parent"`
}

// nestParent makes the block a target writes after be among its parent's
// own children, asking Notion which block holds it.
func (e *Engine) nestParent(ctx context.Context, secret string, place *writer.Place) error {
	parent, err := notion.New(e.notionHTTP, secret).BlockParent(ctx, place.After)
	var (
		nerr *notion.Error
		gone *notion.BlockNotOnPageError
	)
	switch {
	case errors.As(err, &nerr) && nerr.Status == http.StatusNotFound || errors.As(err, &gone):
		return &notion.BlockNotOnPageError{ID: place.After}
	case err != nil:
		return err
	case parent != "":
		place.ParentID = parent
	}
	return nil
}

// createOnce makes a page exactly once, a row or a sub-page, and returns
// its ID. Making a page is not idempotent, so the pages like it (alike
// lists their IDs: the rows or child pages titled alike) are noted first,
// unless cr holds them already; after a request whose answer was lost, a
// page that was not among them is the one it made.
func createOnce(ctx context.Context, cr *job.Creating, alike func(context.Context) ([]string, error), create func(context.Context) (string, error)) (string, error) {
	made := func() (string, error) {
		ids, err := alike(ctx)
		for _, id := range ids {
			if !slices.ContainsFunc(cr.Existing, func(old string) bool { return notionurl.PlainID(old) == notionurl.PlainID(id) }) {
				return id, nil
			}
		}
		return "", err
	}
	if cr.Asked {
		if id, err := made(); err != nil || id != "" {
			return id, err
		}
	} else if cr.Existing == nil {
		ids, err := alike(ctx)
		if err != nil {
			return "", err
		}
		cr.Existing = append([]string{}, ids...)
	}
	cr.Asked = true
	id, err := create(ctx)
	if err == nil {
		return id, nil
	}
	if !notion.MayHaveApplied(err) {
		// Nothing was made: the pages like it are noted afresh next time.
		cr.Asked, cr.Existing = false, nil
		return "", err
	}
	if id, ferr := made(); ferr == nil && id != "" {
		return id, nil
	}
	return "", err
}

// start registers a running job for a target, refusing a second one for
// the same target; done unregisters it.
func (r *running) start(ctx context.Context, jobID, target string) (context.Context, func(), *Failure) {
	ctx, cancel := context.WithCancel(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, busy := r.pages[target]; busy {
		cancel()
		return ctx, nil, &Failure{Code: "busy", Message: "Visen is already writing here. Wait for it to finish, or cancel it."}
	}
	r.cancels[jobID], r.pages[target] = cancel, jobID
	return ctx, func() {
		cancel()
		r.mu.Lock()
		delete(r.cancels, jobID)
		delete(r.pages, target)
		r.mu.Unlock()
	}, nil
}

// Cancel stops a running generation; it reports whether one was running.
func (e *Engine) Cancel(jobID string) bool {
	e.running.mu.Lock()
	defer e.running.mu.Unlock()
	cancel, ok := e.running.cancels[jobID]
	if ok {
		cancel()
	}
	return ok
}

func marshalReply(r Reply) []byte {
	out, err := json.Marshal(r)
	if err != nil {
		out, _ = json.Marshal(Reply{Error: &Failure{Code: "internal", Message: "Visen could not encode its answer."}})
	}
	return out
}
