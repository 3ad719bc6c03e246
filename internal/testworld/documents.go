package testworld

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// documentsDir is where the converter keeps its test documents, found from
// this file so that any package's tests can read them.
func documentsDir(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("testworld: cannot find the converter's test documents")
	}
	return filepath.Join(filepath.Dir(file), "..", "convert", "md2notion", "testdata")
}

// Documents are the converter's test documents, Markdown of every kind of
// block, by name: the file's name without .md.
func Documents(tb testing.TB) map[string]string {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(documentsDir(tb), "*.md"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("testworld: no test documents: %v", err)
	}
	docs := map[string]string{}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		docs[strings.TrimSuffix(filepath.Base(p), ".md")] = string(src)
	}
	return docs
}

// Document is the converter's test document of that name.
func Document(tb testing.TB, name string) string {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join(documentsDir(tb), name+".md"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(src)
}
