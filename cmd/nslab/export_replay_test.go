package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nslab/nslab/assets"
	"github.com/nslab/nslab/internal/testenv"
)

// The exported site's replay page refers only to files the export wrote,
// by relative address, and the simulator's page links to it.
func TestExportWritesTheReplayPage(t *testing.T) {
	for _, name := range simulatorFiles {
		if _, err := fs.Stat(assets.FS, name); err != nil {
			testenv.Missing(t, "the built simulator (assets/"+name+")", "run the wasm task (see Taskfile.yml), then test again")
		}
	}
	dir := t.TempDir()
	if err := exportSite(dir, assets.FS, false); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "replay", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `data-mode="replay"`) || !strings.Contains(string(page), "js/replay.js") {
		t.Fatalf("replay/index.html is not the replay page:\n%s", page)
	}
	refs := pageRefRE.FindAllStringSubmatch(string(page), -1)
	if len(refs) < 6 {
		t.Fatalf("replay/index.html has only %d references", len(refs))
	}
	for _, m := range refs {
		ref := m[1]
		if strings.HasPrefix(ref, "/") || strings.Contains(ref, ":") {
			t.Errorf("replay/index.html refers to %q: not relative", ref)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "replay", filepath.FromSlash(ref))); err != nil {
			t.Errorf("replay/index.html refers to %s, which the export did not write: %v", ref, err)
		}
	}
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), `href="./replay"`) {
		t.Error("the simulator's page does not link to the replay page")
	}
}
