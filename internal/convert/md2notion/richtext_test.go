package md2notion

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLinkURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/a b": "https://example.com/a%20b",
		"http://example.com":      "http://example.com",
		"mailto:a@example.com":    "mailto:a@example.com",
		"/relative":               "",
		"#anchor":                 "",
		"javascript:alert(1)":     "",
		"https://":                "",
		"https://x.com/" + strings.Repeat("a", 2000): "",
	} {
		assert.Equal(t, want, linkURL(in), in)
	}
}

func TestLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"text": "plain text", "py": "python", "ts": "typescript", "tsx": "typescript", "golang": "go",
		"c++": "c++", "cpp": "c++", "cs": "c#", "yml": "yaml", "dockerfile": "docker", "json5": "json",
		"mermaid": "mermaid", "": "plain text", "brainfuck": "plain text", "Python": "python",
		"console": "shell", "shell-session": "shell", "js {linenos=true}": "javascript", "ll": "llvm ir",
	} {
		assert.Equal(t, want, language(in), in)
		assert.True(t, notionLanguages[language(in)])
	}
}
