// Package limits holds Notion's request and content limits in one place, as
// documented in Notion's API reference (request limits, and append block
// children).
package limits

import "strings"

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

// CodeLanguages are the code block languages Notion accepts, as its API
// and its official SDK's LanguageRequest type name them. It is read-only.
var CodeLanguages = map[string]bool{}

func init() {
	for _, l := range strings.Split(codeLanguageList, "|") {
		CodeLanguages[l] = true
	}
}

const codeLanguageList = "abap|abc|agda|arduino|ascii art|assembly|bash|basic|bnf|c|c#|c++|clojure|coffeescript|coq|css|dart|dhall|diff|docker|ebnf|elixir|elm|erlang|f#|flow|fortran|gherkin|glsl|go|graphql|groovy|haskell|hcl|html|idris|java|java/c/c++/c#|javascript|json|julia|kotlin|latex|less|lisp|livescript|llvm ir|lua|makefile|markdown|markup|mathematica|matlab|mermaid|nix|notion formula|objective-c|ocaml|pascal|perl|php|plain text|powershell|prolog|protobuf|purescript|python|r|racket|reason|ruby|rust|sass|scala|scheme|scss|shell|smalltalk|solidity|sql|swift|toml|typescript|vb.net|verilog|vhdl|visual basic|webassembly|xml|yaml"
