package engine

import (
	"fmt"

	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/writer"
)

// savedJob names a stored snapshot in errors.
const savedJob = "the saved job"

// resumable checks a snapshot that comes back from storage before the job
// resumes from it, so a damaged one is refused with a clear error rather
// than reaching code that trusts it. The write under way is not trusted
// either: storage may have missed its last saves. It is dropped, keeping
// only where it started, and the writer, resuming, finds its blocks in the
// page instead. target is where the job writes; it gains that start.
func resumable(s *job.Snapshot, target *writer.Target) error {
	bad := func(format string, args ...any) error {
		return &MalformedError{What: savedJob, Err: fmt.Errorf(format, args...)}
	}
	switch s.Phase {
	case "", job.Generating, job.Writing, job.Cancelled, job.Failed:
	case job.Done:
		return &inputError{"finished", "This job is finished: everything it wrote is in the page. Start a new one to write again."}
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
	if b := s.Batch; b != nil {
		if st := b.State; st != nil {
			if st.Confirmed < 0 || st.Confirmed > s.Blocks {
				return bad("the write under way confirmed %d blocks of %d", st.Confirmed, s.Blocks)
			}
			s.Blocks -= st.Confirmed
			if len(s.Written) == 0 && target.After == "" && st.Anchored {
				target.After = st.Base
			}
		}
		s.Batch = nil
	}
	return nil
}
