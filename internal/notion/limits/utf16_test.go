package limits

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
			parts := SplitUTF16(tt.in, tt.max)
			assert.Equal(t, tt.in, strings.Join(parts, ""), "nothing lost")
			for _, p := range parts {
				units := len(utf16.Encode([]rune(p)))
				assert.LessOrEqual(t, units, tt.max)
				assert.Equal(t, units, UTF16Len(p))
				assert.NotContains(t, p, "\uFFFD")
			}
			for _, p := range parts[:len(parts)-1] {
				// A cut is made only when the next character would not fit.
				assert.Greater(t, UTF16Len(p)+2, tt.max)
			}
		})
	}
}
