package notion2md

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
)

// goldenFiles are the converter's golden Markdown inputs and the real chat
// exports in testdata/chats (their sources are in the SOURCES file there).
func goldenFiles(t testing.TB) []string {
	var files []string
	for _, pattern := range []string{"../md2notion/testdata/*.md", "testdata/chats/*.md"} {
		found, err := filepath.Glob(pattern)
		require.NoError(t, err)
		require.NotEmpty(t, found, pattern)
		files = append(files, found...)
	}
	return files
}

func blocksJSON(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return b.String()
}

// paragraphChildrenAfter moves a paragraph's children out after it, the
// one change the round trip makes: Markdown cannot nest blocks under a
// paragraph (md2notion nests them only for a footnote of several
// paragraphs). Every other block comes back as it was.
func paragraphChildrenAfter(t testing.TB, blocksJSON string) []any {
	var blocks []any
	require.NoError(t, json.Unmarshal([]byte(blocksJSON), &blocks))
	return flatten(blocks)
}

func flatten(blocks []any) []any {
	out := make([]any, 0, len(blocks))
	for _, b := range blocks {
		m := b.(map[string]any)
		content, _ := m[m["type"].(string)].(map[string]any)
		kids, _ := content["children"].([]any)
		if kids != nil {
			content["children"] = flatten(kids)
		}
		out = append(out, m)
		if m["type"] == "paragraph" && kids != nil {
			out = append(out, content["children"].([]any)...)
			delete(content, "children")
		}
	}
	return out
}

// roundTrip converts Markdown to blocks, the blocks back to Markdown and
// that to blocks again, returning both block lists as JSON (the first with
// paragraph children moved after their paragraph) and the Markdown in
// between.
func roundTrip(t testing.TB, src []byte) (first, second, md string) {
	t.Helper()
	converted := blocksJSON(t, md2notion.Convert(src))
	blocks, err := Decode([]byte(converted))
	require.NoError(t, err)
	md = Markdown(blocks)
	again := blocksJSON(t, md2notion.Convert([]byte(md)))
	return blocksJSON(t, paragraphChildrenAfter(t, converted)), blocksJSON(t, paragraphChildrenAfter(t, again)), md
}

// TestRoundTripGolden checks, for every converter golden file and every
// chat export, that Markdown → blocks → Markdown → blocks gives the same
// blocks.
func TestRoundTripGolden(t *testing.T) {
	for _, name := range goldenFiles(t) {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".md"), func(t *testing.T) {
			src, err := os.ReadFile(name)
			require.NoError(t, err)
			first, second, md := roundTrip(t, src)
			assert.Empty(t, firstDifference(first, second), "Markdown read back:\n%s", md)
		})
	}
}

// FuzzRoundTrip checks, for any Markdown, that the blocks it converts to
// read back as Markdown that converts to the same blocks. It is seeded
// with the converter's golden inputs and the chat exports.
func FuzzRoundTrip(f *testing.F) {
	for _, name := range goldenFiles(f) {
		if src, err := os.ReadFile(name); err == nil && len(src) < 64<<10 {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		first, second, md := roundTrip(t, src)
		if d := firstDifference(first, second); d != "" {
			t.Fatalf("blocks differ after reading back as:\n%s\n%s", md, d)
		}
	})
}

// firstDifference shows the lines around where two JSON texts first
// differ, or "" when they are the same.
func firstDifference(a, b string) string {
	if a == b {
		return ""
	}
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	i := 0
	for i < len(al) && i < len(bl) && al[i] == bl[i] {
		i++
	}
	from := max(0, i-8)
	return "first:\n" + strings.Join(al[from:min(len(al), i+8)], "\n") + "\nsecond:\n" + strings.Join(bl[from:min(len(bl), i+8)], "\n")
}

// TestEveryBlock reads Notion's answers for every block type Visen does
// not write: none is dropped, and each reads as its link, content or
// marker.
func TestEveryBlock(t *testing.T) {
	src, err := os.ReadFile("testdata/every-block.json")
	require.NoError(t, err)
	blocks, err := Decode(src)
	require.NoError(t, err)
	want, err := os.ReadFile("testdata/every-block.md")
	require.NoError(t, err)
	got := Markdown(blocks) + "\n"
	assert.Equal(t, string(want), got)
	for _, s := range []string{"@Ada Lovelace", "December 1, 2026", "[Project plan](https://www.notion.so/1a2b3c4d5e6f40718293a4b5c6d7e8f9)",
		"Meeting notes", "Tasks", "https://example.com/article", "A map", "report.xlsx", "The contract", "https://video.example.com/v/42",
		"Synced text.", "Left column.", "Right column.", "Hidden text.", "[Table of contents]", "[Breadcrumb]", "[Unsupported block: form]", "🚀 A plain callout."} {
		assert.Contains(t, got, s)
	}
}
