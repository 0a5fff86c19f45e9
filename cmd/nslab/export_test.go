package main

import (
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nslab/nslab/assets"
	"github.com/nslab/nslab/internal/testenv"
)

var pageRefRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// The exported page refers only to files it wrote, by relative address,
// so it works from any static server under any prefix.
func TestExportWritesAWorkingSite(t *testing.T) {
	for _, name := range simulatorFiles {
		if _, err := fs.Stat(assets.FS, name); err != nil {
			testenv.Missing(t, "the built simulator (assets/"+name+")", "run the wasm task (see Taskfile.yml), then test again")
		}
	}
	dir := t.TempDir()
	if err := exportSite(dir, assets.FS, false); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	refs := pageRefRE.FindAllStringSubmatch(string(page), -1)
	if len(refs) < 8 {
		t.Fatalf("index.html has only %d references:\n%s", len(refs), page)
	}
	for _, m := range refs {
		ref := m[1]
		if strings.HasPrefix(ref, "/") || strings.Contains(ref, ":") {
			t.Errorf("index.html refers to %q: not relative, breaks under a path prefix", ref)
			continue
		}
		if ref == "./" {
			continue // the brand link: the page itself
		}
		if name, ok := strings.CutPrefix(ref, "?lesson="); ok {
			// The lesson picker: the page itself, which then fetches
			// lessons/NAME.json.
			if _, err := os.Stat(filepath.Join(dir, "lessons", name+".json")); err != nil {
				t.Errorf("index.html offers lesson %s, which the export did not write: %v", name, err)
			}
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(ref))); err != nil {
			t.Errorf("index.html refers to %s, which the export did not write: %v", ref, err)
		}
	}
	if !strings.Contains(string(page), `data-mode="sim"`) {
		t.Error("index.html is not the simulator page")
	}

	// Every static file is there, byte for byte, and the wasm's gzip copy
	// unpacks to the wasm.
	err = fs.WalkDir(assets.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(name), ".") {
			return err
		}
		want, _ := fs.ReadFile(assets.FS, name)
		got, err := os.ReadFile(filepath.Join(dir, "static", filepath.FromSlash(name)))
		if err != nil || string(got) != string(want) {
			t.Errorf("static/%s: not copied as is (%v)", name, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wasm, _ := fs.ReadFile(assets.FS, "dist/nslab.wasm")
	gz, err := os.Open(filepath.Join(dir, "static", "dist", "nslab.wasm.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer gz.Close()
	zr, err := gzip.NewReader(gz)
	if err != nil {
		t.Fatal(err)
	}
	unpacked, err := io.ReadAll(zr)
	if err != nil || string(unpacked) != string(wasm) {
		t.Errorf("nslab.wasm.gz does not unpack to nslab.wasm (%v)", err)
	}
}

func fakeAssets(withWasm bool) fstest.MapFS {
	files := fstest.MapFS{
		"js/lab.js":       {Data: []byte("// lab")},
		"css/nslab.css":   {Data: []byte("body{}")},
		"dist/.keep":      {},
		"dist/xterm.mjs":  {Data: []byte("// xterm")},
		"img/nslab.svg":   {Data: []byte("<svg/>")},
		"dist/xterm.css":  {Data: []byte("x{}")},
		"js/transport.js": {Data: []byte("// transport")},
	}
	if withWasm {
		files["dist/nslab.wasm"] = &fstest.MapFile{Data: []byte("\x00asm fake")}
		files["dist/wasm_exec.js"] = &fstest.MapFile{Data: []byte("// go")}
	}
	return files
}

func TestExportWithoutTheSimulatorSaysSo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	err := exportSite(dir, fakeAssets(false), false)
	if err == nil || !strings.Contains(err.Error(), "built without the simulator") {
		t.Fatalf("export of assets without the wasm: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s behind (%v)", dir, err)
	}
}

func TestExportRefusesANonEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := exportSite(dir, fakeAssets(true), false)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("export into a non-empty directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); !os.IsNotExist(err) {
		t.Error("a refused export wrote index.html anyway")
	}
	if err := exportSite(dir, fakeAssets(true), true); err != nil {
		t.Fatalf("export with force: %v", err)
	}
	for _, name := range []string{"index.html", "static/js/lab.js", "static/dist/nslab.wasm.gz", "notes.txt"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("after export --force: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "static", "dist", ".keep")); !os.IsNotExist(err) {
		t.Error("the export copied the .keep placeholder")
	}
}

// The command's own argument handling: no directory is a usage error.
func TestExportCommandArguments(t *testing.T) {
	if got := exportCmd(nil); got != 2 {
		t.Errorf("nslab export without DIR: status %d, want 2", got)
	}
	if got := exportCmd([]string{"a", "b"}); got != 2 {
		t.Errorf("nslab export with two dirs: status %d, want 2", got)
	}
}
