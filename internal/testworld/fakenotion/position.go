package fakenotion

// place is where an append puts its children: at the start, after a
// block, or (neither) at the end.
type place struct {
	start bool
	after string
}

// position reads where an append goes from its body, in the shape of its
// version: after on versions before 2026-03-11, position on it. It
// returns Notion's validation message for a body of the wrong shape.
func position(body map[string]any, version string) (place, string) {
	after, hasAfter := body["after"]
	pos, hasPos := body["position"]
	if version != Version20260311 {
		if hasPos {
			return place{}, bad("body.position should be not present, instead was `%s`.", jsonText(pos))
		}
		if !hasAfter {
			return place{}, ""
		}
		id, ok := after.(string)
		if !ok {
			return place{}, bad("body.after should be a string, instead was `%s`.", jsonText(after))
		}
		return place{after: id}, ""
	}
	if hasAfter {
		return place{}, bad("body.after should be not present, instead was `%s`.", jsonText(after))
	}
	if !hasPos {
		return place{}, ""
	}
	p, ok := pos.(map[string]any)
	if !ok {
		return place{}, bad("body.position should be an object, instead was `%s`.", jsonText(pos))
	}
	typ, _ := p["type"].(string)
	allowed := map[string]bool{"type": true}
	switch typ {
	case "start", "end":
	case "after_block":
		allowed["after_block"] = true
	default:
		return place{}, bad("body.position.type should be `\"after_block\"`, `\"start\"` or `\"end\"`, instead was `%s`.", jsonText(p["type"]))
	}
	for k, v := range p {
		if !allowed[k] {
			return place{}, bad("body.position.%s should be not present, instead was `%s`.", k, jsonText(v))
		}
	}
	if typ != "after_block" {
		return place{start: typ == "start"}, ""
	}
	ab, ok := p["after_block"].(map[string]any)
	if !ok {
		if v, set := p["after_block"]; set {
			return place{}, bad("body.position.after_block should be an object, instead was `%s`.", jsonText(v))
		}
		return place{}, bad("body.position.after_block should be defined, instead was `undefined`.")
	}
	for k, v := range ab {
		if k != "id" {
			return place{}, bad("body.position.after_block.%s should be not present, instead was `%s`.", k, jsonText(v))
		}
	}
	id, _ := ab["id"].(string)
	if !isID(id) {
		if v, set := ab["id"]; set {
			return place{}, bad("body.position.after_block.id should be a valid uuid, instead was `%s`.", jsonText(v))
		}
		return place{}, bad("body.position.after_block.id should be defined, instead was `undefined`.")
	}
	return place{after: id}, ""
}

// inVersion gives blocks as read the shape of a version: from 2026-03-11 a
// block says only in_trash, no longer archived.
func inVersion(blocks []map[string]any, version string) []map[string]any {
	if version != Version20260311 {
		return blocks
	}
	for _, b := range blocks {
		delete(b, "archived")
	}
	return blocks
}
