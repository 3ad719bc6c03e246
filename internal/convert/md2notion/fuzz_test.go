package md2notion

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzConvert checks, for any input, that conversion never panics, that
// every block is within Notion's limits, and that every word of the
// document's text is in the output. It is seeded with the golden inputs.
func FuzzConvert(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.md")
	for _, name := range files {
		if src, err := os.ReadFile(name); err == nil && len(src) < 64<<10 {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		blocks := Convert(src)
		if blocks == nil {
			t.Fatal("Convert returned nil")
		}
		checkLimits(t, blocks)
		checkWords(t, src, blocks)
	})
}
