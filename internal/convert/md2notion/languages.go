package md2notion

import (
	"strings"

	"github.com/visen/visen/internal/notion/limits"
)

// notionLanguages are the code languages Notion accepts.
var notionLanguages = limits.CodeLanguages

// languageAliases maps what people and models write after ``` to Notion's
// names. "text" is plain text, never VB.NET; shell sessions are shell.
var languageAliases = map[string]string{
	"js": "javascript", "jsx": "javascript", "mjs": "javascript", "cjs": "javascript", "node": "javascript", "nodejs": "javascript",
	"ts": "typescript", "tsx": "typescript", "mts": "typescript", "cts": "typescript",
	"py": "python", "py3": "python", "python3": "python", "ipython": "python", "pycon": "python",
	"sh": "shell", "zsh": "shell", "fish": "shell", "ksh": "shell", "console": "shell", "shell-session": "shell",
	"shellsession": "shell", "terminal": "shell", "bash-session": "shell", "sh-session": "shell",
	"golang": "go",
	"cpp":    "c++", "cxx": "c++", "cc": "c++", "hpp": "c++", "hxx": "c++", "h++": "c++",
	"h":  "c",
	"cs": "c#", "csharp": "c#", "c-sharp": "c#",
	"rs":         "rust",
	"yml":        "yaml",
	"dockerfile": "docker", "containerfile": "docker",
	"json5": "json", "jsonc": "json", "jsonl": "json", "geojson": "json",
	"text": "plain text", "txt": "plain text", "plaintext": "plain text", "plain": "plain text", "none": "plain text", "output": "plain text", "log": "plain text",
	"rb": "ruby", "kt": "kotlin", "kts": "kotlin", "md": "markdown", "mdx": "markdown",
	"htm": "html", "xhtml": "html", "svg": "xml", "xsl": "xml", "plist": "xml",
	"ps1": "powershell", "pwsh": "powershell", "ps": "powershell",
	"tex": "latex", "math": "latex", "katex": "latex",
	"make": "makefile", "mk": "makefile", "mf": "makefile",
	"objc": "objective-c", "objectivec": "objective-c", "obj-c": "objective-c",
	"fs": "f#", "fsharp": "f#",
	"hs": "haskell", "ex": "elixir", "exs": "elixir", "erl": "erlang",
	"proto": "protobuf", "sol": "solidity", "vb": "visual basic", "vba": "visual basic", "vbnet": "vb.net",
	"wasm": "webassembly", "wat": "webassembly", "gql": "graphql",
	"patch": "diff", "jl": "julia", "pl": "perl", "elisp": "lisp", "emacs-lisp": "lisp", "clj": "clojure", "cljs": "clojure",
	"postgres": "sql", "postgresql": "sql", "mysql": "sql", "sqlite": "sql", "plsql": "sql", "tsql": "sql", "pgsql": "sql",
	"ml": "ocaml", "sv": "verilog", "systemverilog": "verilog", "hlsl": "glsl", "gradle": "groovy",
	"coffee": "coffeescript", "feature": "gherkin", "cucumber": "gherkin", "f90": "fortran", "f95": "fortran",
	"scm": "scheme", "rkt": "racket", "pas": "pascal", "delphi": "pascal", "re": "reason",
	"vue": "html", "svelte": "html", "erb": "html", "ino": "arduino", "objective-c++": "objective-c",
	"mmd": "mermaid", "tf": "hcl", "terraform": "hcl", "asm": "assembly", "nasm": "assembly", "s": "assembly",
	"purs": "purescript", "ll": "llvm ir", "llvm": "llvm ir", "ascii": "ascii art", "wl": "mathematica", "st": "smalltalk", "idr": "idris", "bat": "shell", "cmd": "shell",
}

// language turns a fenced code block's info string into Notion's language
// name; anything unknown is plain text.
func language(info string) string {
	l := strings.ToLower(strings.TrimSpace(info))
	if i := strings.IndexAny(l, " \t{,"); i >= 0 {
		l = l[:i]
	}
	l = strings.TrimPrefix(l, "language-")
	if notionLanguages[l] {
		return l
	}
	if n, ok := languageAliases[l]; ok {
		return n
	}
	return "plain text"
}
