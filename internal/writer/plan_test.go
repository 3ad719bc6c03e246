package writer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
)

// naiveRequests is what a simple writer sends: one request per 100
// top-level blocks, then one per 100 children of every parent.
func naiveRequests(p *Plan) int {
	var count func(ns []*node) int
	count = func(ns []*node) int {
		n := (len(ns) + 99) / 100
		for _, c := range ns {
			if len(c.children) > 0 {
				n += count(c.children)
			}
		}
		return n
	}
	tree, _ := nodesOfPlan(p)
	return count(tree)
}

// nodesOfPlan rebuilds the tree from a plan's requests.
func nodesOfPlan(p *Plan) ([]*node, error) {
	made := make([][]*node, len(p.Requests))
	var top []*node
	for i, r := range p.Requests {
		ns, err := fromJSON(r.Children)
		if err != nil {
			return nil, err
		}
		made[i] = ns
		if r.Parent == nil {
			top = append(top, ns...)
			continue
		}
		parent := made[r.Parent.Request][r.Parent.Index]
		parent.children = append(parent.children, ns...)
	}
	return top, nil
}

func md(lines ...string) []notionapi.Block {
	return md2notion.Convert([]byte(strings.Join(lines, "\n")))
}

func TestPlanCounts(t *testing.T) {
	para := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("Paragraph %d.\n", i))
		}
		return out
	}
	var bigTable []string
	bigTable = append(bigTable, "| a | b |", "|---|---|")
	for i := range 250 {
		bigTable = append(bigTable, fmt.Sprintf("| %d | x |", i))
	}
	tests := []struct {
		name         string
		blocks       []notionapi.Block
		wantRequests int
		wantBlocks   int
	}{
		{name: "empty", blocks: nil, wantRequests: 0, wantBlocks: 0},
		{name: "one paragraph", blocks: md("Hello."), wantRequests: 1, wantBlocks: 1},
		{name: "100 top-level blocks fit one request", blocks: md(para(100)...), wantRequests: 1, wantBlocks: 100},
		{name: "101 need two", blocks: md(para(101)...), wantRequests: 2, wantBlocks: 101},
		{name: "two levels go in one request", blocks: md("- a", "  - b", "  - c", "- d"), wantRequests: 1, wantBlocks: 4},
		{name: "a third level needs its parent's ID", blocks: md("- a", "  - b", "    - c"), wantRequests: 2, wantBlocks: 3},
		{name: "five levels", blocks: md("- 1", "  - 2", "    - 3", "      - 4", "        - 5"), wantRequests: 4, wantBlocks: 5},
		{name: "a 250-row table: 100 rows inline, then 100 and 51", blocks: md(bigTable...), wantRequests: 3, wantBlocks: 252},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPlan(tt.blocks)
			require.NoError(t, err)
			assert.Len(t, p.Requests, tt.wantRequests)
			assert.Equal(t, tt.wantBlocks, p.Blocks)
			total := 0
			for _, r := range p.Requests {
				assert.LessOrEqual(t, len(r.Children), 100)
				assert.LessOrEqual(t, r.Blocks, 1000)
				total += r.Blocks
			}
			assert.Equal(t, p.Blocks, total, "every block is planned once")
		})
	}
}

func TestPlanRespectsBlockAndByteLimits(t *testing.T) {
	// 100 list items with 99 children each: at most 10 items fit 1000 blocks.
	var lines []string
	for i := range 100 {
		lines = append(lines, fmt.Sprintf("- item %d", i))
		for j := range 99 {
			lines = append(lines, fmt.Sprintf("  - child %d", j))
		}
	}
	p, err := NewPlan(md(lines...))
	require.NoError(t, err)
	assert.Len(t, p.Requests, 10)
	for _, r := range p.Requests {
		assert.LessOrEqual(t, r.Blocks, 1000)
	}

	// Long code blocks: 500 KB is reached before 100 blocks.
	code := "```\n" + strings.Repeat("x", 2000*99) + "\n```\n"
	p, err = NewPlan(md(strings.Repeat(code+"\n", 6)))
	require.NoError(t, err)
	assert.Greater(t, len(p.Requests), 1)
}

func TestPlanBeatsTheNaiveWriter(t *testing.T) {
	for _, name := range documents {
		t.Run(name, func(t *testing.T) {
			p, err := NewPlan(doc(t, name))
			require.NoError(t, err)
			assert.LessOrEqual(t, len(p.Requests), naiveRequests(p))
		})
	}
}

// fromJSON is the tree of planned blocks as the planner holds it.
func fromJSON(tree []map[string]any) ([]*node, error) {
	out := make([]*node, 0, len(tree))
	for _, b := range tree {
		typ, _ := b["type"].(string)
		body, ok := b[typ].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("a block without a type")
		}
		n := &node{block: b}
		if kids, ok := body["children"].([]any); ok {
			var maps []map[string]any
			for _, k := range kids {
				maps = append(maps, k.(map[string]any))
			}
			children, err := fromJSON(maps)
			if err != nil {
				return nil, err
			}
			n.children = children
		}
		out = append(out, n)
	}
	return out, nil
}
