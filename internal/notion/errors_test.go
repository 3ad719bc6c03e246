package notion

import (
	"net/url"
	"testing"
	"time"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorSentences(t *testing.T) {
	tests := []struct {
		name, op string
		err      error
		wantKind Kind
		want     string
	}{
		{
			name:     "a wait past the limit says how long Notion asked for, and why",
			err:      &url.Error{Op: "Get", URL: "https://api.notion.com/v1/pages/x", Err: &LimitedError{Status: 429, RetryAfter: 5 * time.Minute, Reason: "workspace_rate_limit"}},
			wantKind: KindRateLimited,
			want:     "Notion is limiting how fast Visen may send (workspace rate limit) and asked it to wait 5 minutes, longer than Visen waits on its own. Try again after that.",
		},
		{
			name:     "seconds under two minutes",
			err:      &LimitedError{Status: 429, RetryAfter: 90 * time.Second},
			wantKind: KindRateLimited,
			want:     "Notion is limiting how fast Visen may send and asked it to wait 90 seconds, longer than Visen waits on its own. Try again after that.",
		},
		{
			name:     "minutes are rounded up",
			err:      &LimitedError{Status: 429, RetryAfter: 121 * time.Second},
			wantKind: KindRateLimited,
			want:     "Notion is limiting how fast Visen may send and asked it to wait 3 minutes, longer than Visen waits on its own. Try again after that.",
		},
		{
			name:     "no wait named",
			err:      &LimitedError{Status: 429, Reason: "integration_rate_limit"},
			wantKind: KindRateLimited,
			want:     "Notion is limiting how fast Visen may send (integration rate limit) and did not free up in time. Wait a minute, then try again.",
		},
		{
			name:     "529 overloaded with a wait",
			err:      &LimitedError{Status: 529, RetryAfter: 75 * time.Second},
			wantKind: KindUnavailable,
			want:     "Notion is overloaded and asked Visen to wait 75 seconds. Try again after that.",
		},
		{
			name:     "529 overloaded without a wait",
			err:      &LimitedError{Status: 529},
			wantKind: KindUnavailable,
			want:     "Notion is overloaded right now. Try again in a few minutes.",
		},
		{
			name:     "the workspace block limit",
			err:      &notionapi.Error{Status: 400, Code: "validation_error", Message: "This workspace has reached its block limit."},
			wantKind: KindBlockLimit,
			want:     "This Notion workspace has reached the block limit of the Free plan, so Notion refuses new content. Upgrade the workspace’s plan in Notion (on the Free plan, deleting content does not give blocks back, but a workspace with a single member has no limit), then try again.",
		},
		{
			name:     "the block limit under another status",
			err:      &notionapi.Error{Status: 403, Code: "restricted_resource", Message: "Workspace block limit reached."},
			wantKind: KindBlockLimit,
			want:     "This Notion workspace has reached the block limit of the Free plan, so Notion refuses new content. Upgrade the workspace’s plan in Notion (on the Free plan, deleting content does not give blocks back, but a workspace with a single member has no limit), then try again.",
		},
		{
			name:     "content Notion refuses",
			err:      &notionapi.Error{Status: 400, Code: "validation_error", Message: "body failed validation: body.children[0].paragraph.rich_text should be defined."},
			wantKind: KindValidation,
			want:     "Notion refused part of the content as invalid. Nothing after it was written; copy the Markdown to keep it, and try again.",
		},
		{
			name:     "a read Notion refuses writes nothing",
			op:       "retrieve database",
			err:      &notionapi.Error{Status: 400, Code: "validation_error", Message: "Databases with multiple data sources are not supported in this API version."},
			wantKind: KindValidation,
			want:     "Notion refused Visen’s request as invalid, and nothing was written. Click Visen again to reload the page or database, then try again.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *Error
			op := tt.op
			if op == "" {
				op = "append blocks"
			}
			require.ErrorAs(t, Classify(op, tt.err), &e)
			assert.Equal(t, tt.wantKind, e.Kind)
			assert.Equal(t, tt.want, e.Message())
		})
	}
}

func TestClassifiedOnce(t *testing.T) {
	refused := &notionapi.Error{Status: 403, Code: "restricted_resource", Message: "Insufficient permissions for this endpoint."}
	read := Classify("list blocks", refused)
	require.Same(t, read, Classify("append blocks", read), "a classified error is not wrapped again")

	var e *Error
	require.ErrorAs(t, Writing(read), &e)
	assert.Equal(t, KindNoInsert, e.Kind, "a 403 while writing is the missing insert capability")
	assert.Equal(t, "no_insert_capability", e.Code())
	require.ErrorAs(t, Classify("append blocks", refused), &e)
	assert.Equal(t, KindNoInsert, e.Kind)
	require.ErrorAs(t, Classify("retrieve page", refused), &e)
	assert.Equal(t, KindRestricted, e.Kind)
}
