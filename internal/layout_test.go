// Package internal_test holds the layout's one rule: a package imports
// only packages in layers below its own, so no import climbs back up the
// path a prompt takes (ARCHITECTURE.md draws it). The test world sits
// above the product, which never imports it.
package internal_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/visen/visen/"

// layers lists every package of internal/ and wasm/ by layer, lowest
// first. A package may import those in lower layers only; a new package
// is added here, in the layer its imports put it.
var layers = [][]string{
	{"internal/failure", "internal/notion/limits", "internal/notionurl"},
	{"internal/ai", "internal/prompts", "internal/convert/md2notion", "internal/convert/notion2md"},
	{"internal/notion"},
	{"internal/writer", "internal/rowtemplate"},
	{"internal/job"},
	{"internal/fill"},
	{"internal/engine"},
	{"wasm"},
	{"internal/testworld/fakenotion", "internal/testworld/fakeai", "internal/testworld/testcert"},
	{"internal/testworld"},
}

func TestNoImportClimbsBackUp(t *testing.T) {
	rank := map[string]int{}
	for i, layer := range layers {
		for _, p := range layer {
			if _, twice := rank[p]; twice {
				t.Errorf("layers names %s twice", p)
			}
			rank[p] = i
		}
	}
	imports := productImports(t)
	if len(imports) < len(rank)/2 {
		t.Fatalf("read only %d packages: the walk missed the tree", len(imports))
	}
	for pkg, deps := range imports {
		r, ok := rank[pkg]
		if !ok {
			t.Errorf("%s is in no layer: add it to layers and to ARCHITECTURE.md", pkg)
			continue
		}
		for _, dep := range deps {
			d, ok := rank[dep]
			switch {
			case !ok:
				t.Errorf("%s imports %s, which is in no layer", pkg, dep)
			case d >= r:
				t.Errorf("%s (layer %d) imports %s (layer %d): an import goes down, never across or up", pkg, r, dep, d)
			}
		}
	}
	for pkg := range rank {
		if _, ok := imports[pkg]; !ok {
			t.Errorf("layers names %s, which has no Go files", pkg)
		}
	}
}

// productImports reads every non-test Go file of internal/ and wasm/ and
// returns each package's imports of the project's own packages.
func productImports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, root := range []string{".", "../wasm"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
			if err != nil {
				return err
			}
			pkg := path.Clean(path.Join("internal", filepath.ToSlash(filepath.Dir(p))))
			if _, ok := out[pkg]; !ok {
				out[pkg] = nil
			}
			for _, spec := range f.Imports {
				dep, _ := strconv.Unquote(spec.Path.Value)
				if strings.HasPrefix(dep, module) {
					out[pkg] = append(out[pkg], strings.TrimPrefix(dep, module))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}
