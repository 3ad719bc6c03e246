package engine

import (
	"context"
	"errors"

	"github.com/visen/visen/internal/job"
	"github.com/visen/visen/internal/writer"
)

// savedJob names a stored snapshot in errors.
const savedJob = "the saved job"

// ready readies a job's writing through job.Ready, the one resume path,
// turning a snapshot it refuses into an error a person can read. w is nil
// for a job that writes nothing.
func ready(ctx context.Context, w *writer.Writer, snap *job.Snapshot, target writer.Place) (writer.Place, []writer.Option, error) {
	target, opts, err := job.Ready(ctx, w, snap, target)
	var bad *job.SnapshotError
	switch {
	case errors.Is(err, job.ErrFinished):
		return target, nil, &inputError{"finished", "This job is finished: everything it wrote is in the page. Start a new one to write again."}
	case errors.As(err, &bad):
		return target, nil, &MalformedError{What: savedJob, Err: err}
	}
	return target, opts, err
}
