// Package limits holds Notion's request and content limits in one place, as
// documented in Notion's API reference (request limits, and append block
// children).
package limits

// Content limits of a single block.
const (
	// TextContent is the most UTF-16 code units in one rich-text item's
	// text.content; Notion's backend counts as JavaScript does.
	TextContent = 2000
	// LinkURL is the longest link URL in a rich-text item.
	LinkURL = 2000
	// Equation is the longest equation expression.
	Equation = 1000
	// RichTextItems is the most items in any rich-text array.
	RichTextItems = 100
)

// Limits of one append-block-children request.
const (
	// ChildrenPerRequest is the most blocks in one children array.
	ChildrenPerRequest = 100
	// NestingPerRequest is how many levels one request may carry: a block
	// with children, whose children carry none.
	NestingPerRequest = 2
	// BlocksPerRequest is the most blocks in one request, at every level.
	BlocksPerRequest = 1000
	// PayloadBytes is the largest request body.
	PayloadBytes = 500_000
)

// Rate limits of one integration.
const (
	// RequestsPerSecond is Notion's average allowed request rate.
	RequestsPerSecond = 3
	// RequestBurst is how many requests may go at once above that rate.
	RequestBurst = 3
)
