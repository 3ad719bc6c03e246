package writer

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/testcert"
)

// TestShippedRateKeepsToNotionsLimit writes through the transport as it
// ships, with no options, to a fake that holds Notion's documented rate
// limit as its own: not one request is refused.
func TestShippedRateKeepsToNotionsLimit(t *testing.T) {
	var lines []string
	for i := range 1400 {
		lines = append(lines, fmt.Sprintf("Paragraph %d.", i), "")
	}
	plan, err := NewPlan(md(lines...))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(plan.Requests), 14)
	fake := newFake()
	fake.LimitRate()
	hc := &http.Client{Transport: notion.NewTransport(testcert.InProcess{Handler: fake.API()})}
	var state State
	require.NoError(t, New(hc, secret, nil).Write(context.Background(), plan, Target{ParentID: pageID}, &state))
	assert.Len(t, fake.Children(pageID), 1400)
	assert.Zero(t, fake.RateLimited(), "no request went beyond Notion's rate limit")
}

// TestRequestsFitNotionsPayloadLimit: a hundred long code blocks fit one
// request by count but not by size; the fake refuses a body past Notion's
// documented 500 KB with its own constant, so every request must fit.
func TestRequestsFitNotionsPayloadLimit(t *testing.T) {
	tests := []struct {
		name  string
		block string
		count int
	}{
		{name: "code blocks of 6,000 characters", block: "```\n" + strings.Repeat("x", 5999) + "\n```\n", count: 100},
		{name: "paragraphs of 4,900 characters", block: strings.Repeat("word ", 980) + "\n", count: 100},
		{name: "one block of 190,000 characters among short ones", block: "Short.\n\n```\n" + strings.Repeat("y", 190_000) + "\n```\n", count: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := md(strings.Repeat(tt.block+"\n", tt.count))
			plan, err := NewPlan(blocks)
			require.NoError(t, err)
			fake := newFake()
			var state State
			require.NoError(t, New(client(fake), secret, nil).Write(context.Background(), plan, Target{ParentID: pageID}, &state))
			assert.Equal(t, shape(treeJSON(t, blocks)), shape(fake.Children(pageID)))
		})
	}
}
