package md2notion

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// benchInputs are the two documents the throughput figures use: a chat-style
// article, and a large document made of every test document in name order
// (long code, tables, lists, Unicode, math).
func benchInputs(b *testing.B) map[string][]byte {
	b.Helper()
	chat, err := os.ReadFile("testdata/21-chat-article.md")
	if err != nil {
		b.Fatal(err)
	}
	files, err := filepath.Glob("testdata/*.md")
	if err != nil {
		b.Fatal(err)
	}
	var large bytes.Buffer
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		large.Write(src)
	}
	return map[string][]byte{"chat": chat, "large": large.Bytes()}
}

func BenchmarkConvert(b *testing.B) {
	for _, name := range []string{"chat", "large"} {
		src := benchInputs(b)[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Convert(src)
			}
		})
	}
}

// BenchmarkGoldmarkHTML is goldmark's own Markdown → HTML on the same
// inputs with the same parser extensions (GFM, footnotes, math
// passthrough), as the yardstick for what conversion adds.
func BenchmarkGoldmarkHTML(b *testing.B) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, mathPassthrough()))
	for _, name := range []string{"chat", "large"} {
		src := benchInputs(b)[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				if err := md.Convert(src, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGoldmarkParse is goldmark's parse alone, with the extensions the
// converter must have (GFM, footnotes, math): the ceiling for any
// converter built on goldmark, as conversion only adds to it.
func BenchmarkGoldmarkParse(b *testing.B) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, mathPassthrough()))
	for _, name := range []string{"chat", "large"} {
		src := benchInputs(b)[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				md.Parser().Parse(text.NewReader(src))
			}
		})
	}
}
