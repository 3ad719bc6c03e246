package md2notion

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
)

func TestSplitUTF16(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
	}{
		{"ascii exact", strings.Repeat("a", 20), 10},
		{"ascii ragged", strings.Repeat("abc", 7), 8},
		{"pair at the cut", strings.Repeat("a", 9) + "😀" + "b", 10},
		{"pairs only", strings.Repeat("😀", 9), 5},
		{"cjk", strings.Repeat("日本語", 9), 4},
		{"mixed", "ab😀cd日本😀😀x" + strings.Repeat("z", 30), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := splitUTF16(tt.in, tt.max)
			assert.Equal(t, tt.in, strings.Join(parts, ""), "nothing lost")
			for _, p := range parts {
				units := len(utf16.Encode([]rune(p)))
				assert.LessOrEqual(t, units, tt.max)
				assert.Equal(t, units, utf16Len(p))
				assert.NotContains(t, p, "\uFFFD")
			}
			for _, p := range parts[:len(parts)-1] {
				// A cut is made only when the next character would not fit.
				assert.Greater(t, utf16Len(p)+2, tt.max)
			}
		})
	}
}

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
