// Package writer writes a block tree into Notion: it plans the fewest append
// requests Notion's limits allow, sends them in order, and makes sure each
// lands exactly once, whatever Notion or the network does.
package writer

import (
	"encoding/json"
	"fmt"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/limits"
)

// The planner's rule. Requests append runs of consecutive siblings to one
// parent, as many as fit in one request (at most 100 blocks in any children
// array, 1000 blocks and 500 KB in all). A block goes with its children
// inline when none of them has children of its own, since Notion takes only
// two levels per request and returns the IDs of the first level alone. A
// block with deeper content goes bare, and its children follow in requests
// to its new ID, planned the same way. Past 100 children (a long table),
// the first 100 go inline and the rest follow. Requests run depth first, so
// the page fills in reading order, and each request to the target goes
// after the last block the previous one wrote.

// Ref names a block created by an earlier request: the Index-th block of
// that request's top-level children.
type Ref struct {
	Request int `json:"request"`
	Index   int `json:"index"`
}

// Request is one append-block-children call.
type Request struct {
	// Parent is nil for the target page or block, else a block created by
	// an earlier request.
	Parent *Ref `json:"parent"`
	// Children are the blocks to append, with inline children, as JSON objects.
	Children []map[string]any `json:"children"`
	// Blocks counts the blocks the request creates, at every level.
	Blocks int `json:"blocks"`
}

// Plan is the whole sequence of requests for a tree.
type Plan struct {
	Requests []Request `json:"requests"`
	// Blocks counts every block in the tree.
	Blocks int `json:"blocks"`
}

// node is a block without its children, and its children.
type node struct {
	block    map[string]any
	children []*node
	size     int
}

func nodes(blocks []notionapi.Block) ([]*node, error) {
	raw, err := json.Marshal(blocks)
	if err != nil {
		return nil, err
	}
	var tree []map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	return fromJSON(tree)
}

func fromJSON(tree []map[string]any) ([]*node, error) {
	out := make([]*node, 0, len(tree))
	for _, b := range tree {
		typ, _ := b["type"].(string)
		body, ok := b[typ].(map[string]any)
		if typ == "" || (!ok && b[typ] != nil) {
			return nil, fmt.Errorf("writer: a block without a type")
		}
		n := &node{block: b}
		if kids, ok := body["children"].([]any); ok {
			delete(body, "children")
			var maps []map[string]any
			for _, k := range kids {
				if m, ok := k.(map[string]any); ok {
					maps = append(maps, m)
				}
			}
			children, err := fromJSON(maps)
			if err != nil {
				return nil, err
			}
			n.children = children
		}
		raw, _ := json.Marshal(b)
		n.size = len(raw)
		out = append(out, n)
	}
	return out, nil
}

// withChildren is the JSON of a block carrying the given children inline.
func withChildren(n *node, children []*node) map[string]any {
	if len(children) == 0 {
		return n.block
	}
	typ := n.block["type"].(string)
	body := map[string]any{}
	if b, ok := n.block[typ].(map[string]any); ok {
		for k, v := range b {
			body[k] = v
		}
	}
	kids := make([]any, len(children))
	for i, c := range children {
		kids[i] = c.block
	}
	body["children"] = kids
	out := map[string]any{}
	for k, v := range n.block {
		out[k] = v
	}
	out[typ] = body
	return out
}

func count(ns []*node) int {
	total := 0
	for _, n := range ns {
		total += 1 + count(n.children)
	}
	return total
}

// NewPlan plans the requests that write blocks.
func NewPlan(blocks []notionapi.Block) (*Plan, error) {
	tree, err := nodes(blocks)
	if err != nil {
		return nil, err
	}
	p := &Plan{Blocks: count(tree)}
	p.run(nil, tree)
	return p, nil
}

// payloadOverhead is the JSON around the children: {"children":[...],"after":"<id>"}.
const payloadOverhead = 64

// inline is what of n's children can go in the same request as n.
func inline(n *node) []*node {
	for _, c := range n.children {
		if len(c.children) > 0 {
			return nil
		}
	}
	return n.children[:min(len(n.children), limits.ChildrenPerRequest)]
}

// run plans runs of siblings under parent, then, depth first, whatever of
// their children could not go inline.
func (p *Plan) run(parent *Ref, siblings []*node) {
	for len(siblings) > 0 {
		var (
			req    = Request{Parent: parent}
			taken  []*node
			inl    [][]*node
			blocks = 0
			size   = payloadOverhead
		)
		for len(siblings) > 0 && len(taken) < limits.ChildrenPerRequest {
			n := siblings[0]
			kids := inline(n)
			cost, bytes := 1+len(kids), n.size+1
			for _, k := range kids {
				bytes += k.size + 1
			}
			if len(taken) > 0 && (blocks+cost > limits.BlocksPerRequest || size+bytes > limits.PayloadBytes) {
				break
			}
			taken, inl = append(taken, n), append(inl, kids)
			req.Children = append(req.Children, withChildren(n, kids))
			blocks, size = blocks+cost, size+bytes
			siblings = siblings[1:]
		}
		req.Blocks = blocks
		index := len(p.Requests)
		p.Requests = append(p.Requests, req)
		for i, n := range taken {
			if rest := n.children[len(inl[i]):]; len(rest) > 0 {
				p.run(&Ref{Request: index, Index: i}, rest)
			}
		}
	}
}
