package notion

// Notion-Version is a per-request header, so each call names the version
// whose shapes it speaks.
const (
	// VersionNotionapi is the version jomei/notionapi sends, the only one
	// it knows: Visen's calls through it (who the integration is,
	// retrieving a page, deleting a block) stay on it.
	VersionNotionapi = "2022-06-28"
	// VersionDataSources is the version of every call Visen's own client
	// makes: databases, their data sources and views, rows, and appending
	// or listing blocks. On it a database holds data sources, and a
	// database with two or more of them can be used at all.
	VersionDataSources = "2025-09-03"
	// VersionPosition renames an append's after to position and a
	// block's archived to in_trash, and can append at the top of a page.
	// Visen sends it only for that append; the functions that build and
	// read those fields take it already.
	VersionPosition = "2026-03-11"
)

// appendBody is the body of an append of children after a block (or at
// the end, when after is ""), in the shape of the given version.
func appendBody(version, after string, children []map[string]any) map[string]any {
	body := map[string]any{"children": children}
	switch {
	case after == "":
	case version >= VersionPosition:
		body["position"] = map[string]any{"type": "after_block", "after_block": map[string]any{"id": after}}
	default:
		body["after"] = after
	}
	return body
}

// startBody is the body of an append of children before the parent's first
// child, which only VersionPosition has a shape for.
func startBody(children []map[string]any) map[string]any {
	return map[string]any{"children": children, "position": map[string]any{"type": "start"}}
}
