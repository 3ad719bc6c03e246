package fakenotion

import "strings"

// Notion's limits as the fake enforces them, written from Notion's API
// reference ("Request limits" and "Append block children"), not taken from
// the product's own constants: a wrong constant in the product must meet a
// fake that refuses what Notion refuses.
const (
	// maxTextContent is the most UTF-16 code units in a rich text item's
	// text.content.
	maxTextContent = 2000
	// maxLinkURL is the longest link URL, in UTF-16 code units.
	maxLinkURL = 2000
	// maxEquation is the longest equation expression.
	maxEquation = 1000
	// maxRichTextItems is the most items in a rich text array.
	maxRichTextItems = 100
	// maxChildren is the most blocks in one children array.
	maxChildren = 100
	// maxNesting is how many levels of blocks one request may hold.
	maxNesting = 2
	// maxBlocks is the most blocks in one request, at every level.
	maxBlocks = 1000
	// maxPayloadBytes is the largest request body Notion takes: 500 KB.
	maxPayloadBytes = 500_000
)

// codeLanguages are the languages a code block may name, as Notion's API
// reference lists them.
var codeLanguages = map[string]bool{}

func init() {
	for _, l := range strings.Split("abap|abc|agda|arduino|ascii art|assembly|bash|basic|bnf|c|c#|c++|clojure|coffeescript|coq|css|dart|dhall|diff|docker|ebnf|elixir|elm|erlang|f#|flow|fortran|gherkin|glsl|go|graphql|groovy|haskell|hcl|html|idris|java|java/c/c++/c#|javascript|json|julia|kotlin|latex|less|lisp|livescript|llvm ir|lua|makefile|markdown|markup|mathematica|matlab|mermaid|nix|notion formula|objective-c|ocaml|pascal|perl|php|plain text|powershell|prolog|protobuf|purescript|python|r|racket|reason|ruby|rust|sass|scala|scheme|scss|shell|smalltalk|solidity|sql|swift|toml|typescript|vb.net|verilog|vhdl|visual basic|webassembly|xml|yaml", "|") {
		codeLanguages[l] = true
	}
}
