// Command pack builds the unpacked extension and its store zip for each
// browser: it copies extension/, merges the base manifest with the
// browser's patch, and adds the engine (visen.wasm and Go's wasm_exec.js).
// The zips are reproducible: entries in name order, each with the same
// mode and the build's date, which is the last commit's
// (SOURCE_DATE_EPOCH, in Unix seconds), so one source gives the same bytes.
//
//	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) go run ./scripts/pack -wasm build/visen.wasm -out dist chrome firefox
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
	"slices"
	"strconv"
	"strings"
	"time"
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
	date, err := buildDate(os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "pack:", err)
		os.Exit(2)
	}
	for _, browser := range flag.Args() {
		if err := pack(*src, *wasm, *out, browser, date); err != nil {
			fmt.Fprintf(os.Stderr, "pack: %s: %v\n", browser, err)
			os.Exit(1)
		}
	}
}

// buildDate reads SOURCE_DATE_EPOCH, the build's date in Unix seconds.
func buildDate(epoch string) (time.Time, error) {
	secs, err := strconv.ParseInt(strings.TrimSpace(epoch), 10, 64)
	if err != nil || secs <= 0 {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH must be the build's date in Unix seconds (the last commit's: git log -1 --format=%%ct), not %q", epoch)
	}
	return time.Unix(secs, 0).UTC(), nil
}

func pack(src, wasm, out, browser string, date time.Time) error {
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
	return zipTree(dir, filepath.Join(out, fmt.Sprintf("visen-%s-%s.zip", browser, m.Version)), date)
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
// are merged instead, and tests and the fakes they use (*.fake.js) stay out.
func shipped(rel string) bool {
	base := filepath.Base(rel)
	return !strings.HasPrefix(base, "manifest") && !strings.HasSuffix(base, ".test.js") && !strings.HasSuffix(base, ".fake.js") && !strings.HasPrefix(base, ".")
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

// zipTree zips the files under dir in name order, each dated date with
// one mode, so the bytes depend on the files alone.
func zipTree(dir, zipPath string, date time.Time) error {
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		names = append(names, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return err
	}
	slices.Sort(names)
	f, err := os.Create(zipPath)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, name := range names {
		if err = addFile(zw, dir, name, date); err != nil {
			break
		}
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func addFile(zw *zip.Writer, dir, name string, date time.Time) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: date}
	h.SetMode(0o644)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	in, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(w, in)
	return err
}
