package job

import (
	"context"
	"errors"
	"fmt"

	"github.com/visen/visen/internal/writer"
)

// ErrFinished is a snapshot of a job that is done: resuming it would
// write again what is in the target.
var ErrFinished = errors.New("job: the job is finished")

// SnapshotError is a stored snapshot that cannot be trusted to resume
// from.
type SnapshotError struct {
	Reason string
}

func (e *SnapshotError) Error() string { return "job: the snapshot is damaged: " + e.Reason }

// Ready is the one way a job starts writing, new or resumed, for pages
// and rows alike: it gives the target its writer goes on from, and the
// options of its writing session.
//
// A new job (a snapshot neither readied nor run before) reads where its blocks
// will start before anything is written, unless the caller knows it
// (target.Anchored), and keeps it in the snapshot, so a resume point saved
// at any moment knows which blocks are the job's.
//
// A stored snapshot is checked first, so a damaged one is refused rather
// than trusted. The write it was in the middle of is not trusted either:
// storage may have missed its last saves. It is dropped, keeping only where
// it started, and the writer, resuming, finds its blocks in the target
// instead, in the form they were sent.
func Ready(ctx context.Context, w *writer.Writer, snap *Snapshot, target writer.Place) (writer.Place, []writer.Option, error) {
	// A snapshot readied before, or that a run reported, comes back from
	// storage: what it says was written may be behind the page.
	stored := snap.Anchored || snap.Phase != "" || len(snap.Written) > 0 || snap.Batch != nil
	if stored {
		if err := check(snap); err != nil {
			return target, nil, err
		}
	}
	if b := snap.Batch; b != nil {
		if st := b.State; st != nil {
			snap.Blocks -= st.Confirmed
			if len(snap.Written) == 0 && target.After == "" && !target.Start && !snap.Anchored && st.Anchored {
				snap.After, snap.Anchored = st.Base, true
			}
		}
		snap.Batch = nil
	}
	switch {
	case snap.Anchored || stored && target.Start:
		target.Anchored = true
		if target.Start {
			target.Before = snap.Before
		} else if target.After == "" {
			target.After = snap.After
		}
	case target.Anchored:
		snap.Anchored, snap.After, snap.Before = true, target.After, target.Before
	case w != nil && len(snap.Written) == 0 && target.Start:
		first, err := w.FirstChild(ctx, target.ParentID)
		snap.Requests++
		if err != nil {
			return target, nil, err
		}
		snap.Anchored, snap.Before = true, first
		target.Anchored, target.Before = true, first
	case w != nil && len(snap.Written) == 0 && target.After == "":
		last, requests, err := w.LastChild(ctx, target.ParentID)
		snap.Requests += requests
		if err != nil {
			return target, nil, err
		}
		snap.Anchored, snap.After = true, last
		target.Anchored, target.After = true, last
	}
	if !stored {
		return target, nil, nil
	}
	return target, []writer.Option{writer.Resuming()}, nil
}

// check refuses a stored snapshot that does not hold together.
func check(s *Snapshot) error {
	bad := func(format string, args ...any) error {
		return &SnapshotError{Reason: fmt.Sprintf(format, args...)}
	}
	switch s.Phase {
	case "", Generating, Writing, Cancelled, Failed:
	case Done:
		return ErrFinished
	default:
		return bad("unknown phase %q", s.Phase)
	}
	if len(s.Written) != len(s.Sums) {
		return bad("%d blocks written but %d digests", len(s.Written), len(s.Sums))
	}
	for i, id := range s.Written {
		if id == "" {
			return bad("written block %d has no ID", i)
		}
	}
	if s.Blocks < 0 || s.Requests < 0 || s.Skip < 0 {
		return bad("negative counts")
	}
	if b := s.Batch; b != nil && b.State != nil && (b.State.Confirmed < 0 || b.State.Confirmed > s.Blocks) {
		return bad("the write under way confirmed %d blocks of %d", b.State.Confirmed, s.Blocks)
	}
	return nil
}
