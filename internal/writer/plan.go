// Package writer writes a block tree into Notion: it plans the fewest append
// requests Notion's limits allow, sends them in order, and makes sure each
// lands exactly once, whatever Notion or the network does.
package writer

import (
	"encoding/json"
	"reflect"
	"slices"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/notion/limits"
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

// MaxDepth is the deepest level the planner keeps as nesting: a block at
// this depth takes every block nested under it, in reading order, as its own
// children. Each level past the first costs a request of its own, one after
// another, so a quote nested a thousand deep would take a thousand; flattened
// here it takes a few, and every word stays.
const MaxDepth = 10

// nodes turns blocks into the planner's tree. It walks the tree itself and
// marshals one block at a time, so no depth of nesting reaches the JSON
// decoder's own limit.
func nodes(blocks []notionapi.Block, depth int) ([]*node, error) {
	out := make([]*node, 0, len(blocks))
	for _, b := range blocks {
		body, kids, err := detach(b)
		if err != nil {
			return nil, err
		}
		n := &node{block: body}
		if depth >= MaxDepth {
			n.children, err = flatten(kids)
		} else {
			n.children, err = nodes(kids, depth+1)
		}
		if err != nil {
			return nil, err
		}
		raw, _ := json.Marshal(body)
		n.size = len(raw)
		out = append(out, n)
	}
	return out, nil
}

// flatten lists every block under blocks, each without children, in
// reading order.
func flatten(blocks []notionapi.Block) ([]*node, error) {
	var out []*node
	stack := slices.Clone(blocks)
	slices.Reverse(stack)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		body, kids, err := detach(b)
		if err != nil {
			return nil, err
		}
		raw, _ := json.Marshal(body)
		out = append(out, &node{block: body, size: len(raw)})
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
	return out, nil
}

var blocksType = reflect.TypeFor[notionapi.Blocks]()

// detach is a block's JSON without its children, and the children. Every
// notionapi block holds its children in a Children field of its body.
func detach(b notionapi.Block) (map[string]any, notionapi.Blocks, error) {
	v := reflect.ValueOf(b)
	if b == nil || v.Kind() != reflect.Pointer || v.IsNil() {
		return nil, nil, &PlanError{Reason: "an empty block"}
	}
	bare := reflect.New(v.Elem().Type()).Elem()
	bare.Set(v.Elem())
	var kids notionapi.Blocks
	for i := range bare.NumField() {
		f := bare.Field(i)
		if f.Kind() != reflect.Struct {
			continue
		}
		if c := f.FieldByName("Children"); c.IsValid() && c.Type() == blocksType && c.CanSet() {
			kids = c.Interface().(notionapi.Blocks)
			c.Set(reflect.Zero(blocksType))
		}
	}
	raw, err := json.Marshal(bare.Addr().Interface())
	if err != nil {
		return nil, nil, &PlanError{Reason: "a block that cannot be encoded", Err: err}
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, nil, &PlanError{Reason: "a block that cannot be encoded", Err: err}
	}
	typ, _ := m["type"].(string)
	body, ok := m[typ].(map[string]any)
	if typ == "" || !ok {
		return nil, nil, &PlanError{Reason: "a block without a type"}
	}
	delete(body, "children")
	return m, kids, nil
}

// PlanError is a block tree the planner cannot turn into requests.
type PlanError struct {
	Reason string
	Err    error
}

func (e *PlanError) Error() string {
	if e.Err != nil {
		return "writer: " + e.Reason + ": " + e.Err.Error()
	}
	return "writer: " + e.Reason
}

func (e *PlanError) Unwrap() error { return e.Err }

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
	tree, err := nodes(blocks, 1)
	if err != nil {
		return nil, err
	}
	p := &Plan{Blocks: count(tree)}
	p.run(nil, tree)
	return p, nil
}

// payloadOverhead is the JSON around a request's children, at its
// longest: {"children":[...],"after":"<id>"}; an append at the very top
// sends {"children":[...],"position":{"type":"start"}}, which is shorter.
const payloadOverhead = 64

// inlineOverhead is what a block carrying children inline adds around
// them in its body: ,"children":[...].
const inlineOverhead = len(`,"children":[]`)

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
			if len(kids) > 0 {
				bytes += inlineOverhead
			}
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
