// Command pack builds the unpacked extension and its store zip for each
// browser: it copies extension/, merges the base manifest with the
// browser's patch, and adds the engine (visen.wasm and Go's wasm_exec.js).
//
//	go run ./scripts/pack -wasm build/visen.wasm -out dist chrome firefox
package main

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

func main() {
	src := flag.String("src", "extension", "the extension's source folder")
	wasm := flag.String("wasm", "build/visen.wasm", "the compiled engine")
	out := flag.String("out", "dist", "where dist/<browser>/ and the zips go")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "pack: name at least one browser: chrome, firefox")
		os.Exit(2)
	}
	for _, browser := range flag.Args() {
		if err := pack(*src, *wasm, *out, browser); err != nil {
			fmt.Fprintf(os.Stderr, "pack: %s: %v\n", browser, err)
			os.Exit(1)
		}
	}
}

func pack(src, wasm, out, browser string) error {
	manifest, err := mergedManifest(src, browser)
	if err != nil {
		return err
	}
	dir := filepath.Join(out, browser)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := copyTree(src, dir); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), manifest, 0o644); err != nil {
		return err
	}
	wasmExec := filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js")
	for from, to := range map[string]string{wasm: "background/visen.wasm", wasmExec: "background/wasm_exec.js"} {
		if err := copyFile(from, filepath.Join(dir, to)); err != nil {
			return err
		}
	}
	var m struct{ Version string }
	if err := json.Unmarshal(manifest, &m); err != nil {
		return err
	}
	return zipTree(dir, filepath.Join(out, fmt.Sprintf("visen-%s-%s.zip", browser, m.Version)))
}

// mergedManifest deep-merges manifest.<browser>.json over manifest.json.
func mergedManifest(src, browser string) ([]byte, error) {
	base, err := readJSON(filepath.Join(src, "manifest.json"))
	if err != nil {
		return nil, err
	}
	patch, err := readJSON(filepath.Join(src, "manifest."+browser+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("unknown browser %q (no manifest.%s.json)", browser, browser)
	}
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(merge(base, patch), "", "  ")
	return append(b, '\n'), err
}

func merge(base, patch map[string]any) map[string]any {
	for k, v := range patch {
		if pm, ok := v.(map[string]any); ok {
			if bm, ok := base[k].(map[string]any); ok {
				base[k] = merge(bm, pm)
				continue
			}
		}
		base[k] = v
	}
	return base
}

func readJSON(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// shipped reports whether a source file belongs in the package: manifests
// are merged instead, and tests stay out.
func shipped(rel string) bool {
	base := filepath.Base(rel)
	return !strings.HasPrefix(base, "manifest") && !strings.HasSuffix(base, ".test.js") && !strings.HasPrefix(base, ".")
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil || !shipped(rel) {
			return err
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func zipTree(dir, zipPath string) error {
	f, err := os.Create(zipPath)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(w, in)
		return err
	})
	if err != nil {
		zw.Close()
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
