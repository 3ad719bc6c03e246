package writer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/testworld"
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
	hc := testworld.NotionHTTP(fake.API())
	var state State
	require.NoError(t, New(hc, secret, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state))
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
		// Each item carries its paragraph inline, in a "children" array
		// of its own that the request's size must count too.
		{name: "list items each holding a paragraph of 4,950 characters", block: "- item\n\n  " + strings.Repeat("z", 4950) + "\n", count: 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := md(strings.Repeat(tt.block+"\n", tt.count))
			plan, err := NewPlan(blocks)
			require.NoError(t, err)
			fake := newFake()
			var state State
			require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state))
			assert.Equal(t, shape(treeJSON(t, blocks)), shape(fake.Children(pageID)))
		})
	}
}

// TestRequestsCountTheBodyAroundTheirBlocks: three long paragraphs whose
// blocks come 10 bytes short of Notion's 500 KB together, written after a
// block, so the body also names where they go. Counted alone they fit one
// request; with the JSON around them they do not, and Notion would refuse
// the body.
func TestRequestsCountTheBodyAroundTheirBlocks(t *testing.T) {
	const limit = 500_000
	para := func(n int) string { return strings.Repeat("x", n) + "\n\n" }
	sizeOf := func(third int) int {
		plan, err := NewPlan(md(para(190_000), para(190_000), para(third)))
		require.NoError(t, err)
		total := 0
		for _, r := range plan.Requests {
			for _, c := range r.Children {
				raw, err := json.Marshal(c)
				require.NoError(t, err)
				total += len(raw) + 1
			}
		}
		return total
	}
	third := 110_500
	third += limit - 10 - sizeOf(third)
	require.Equal(t, limit-10, sizeOf(third), "the blocks alone, a comma after each, fit")

	blocks := md(para(190_000), para(190_000), para(third))
	plan, err := NewPlan(blocks)
	require.NoError(t, err)
	assert.Equal(t, 2, len(plan.Requests), "two requests")
	fake := newFake("Before.")
	var state State
	target := Place{ParentID: pageID, After: ids(fake.Children(pageID))[0]}
	require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, target, &state))
	assert.Equal(t, append([]string{"paragraph\x00Before."}, shape(treeJSON(t, blocks))...), shape(fake.Children(pageID)))
}
