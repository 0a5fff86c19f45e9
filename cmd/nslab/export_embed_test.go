package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nslab/nslab/assets"
	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/server"
)

// An exported site has its embedding configuration, static/embed.json,
// where the page's script reads it: empty without --embed-origins, the
// origins given with it; a value that is not an origin is refused before
// anything is written.
func TestExportWritesTheEmbeddingConfiguration(t *testing.T) {
	for _, name := range simulatorFiles {
		if _, err := fs.Stat(assets.FS, name); err != nil {
			testenv.Missing(t, "the built simulator (assets/"+name+")", "run the wasm task (see Taskfile.yml), then test again")
		}
	}
	read := func(dir string) server.EmbedConfig {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, "static", server.EmbedConfigPath))
		if err != nil {
			t.Fatal(err)
		}
		var c server.EmbedConfig
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("static/embed.json: %v\n%s", err, b)
		}
		return c
	}
	dir := t.TempDir()
	if got := exportCmd([]string{dir}); got != 0 {
		t.Fatalf("nslab export DIR: status %d", got)
	}
	if c := read(dir); c.Version != server.EmbedVersion || c.Origins == nil || len(c.Origins) != 0 {
		t.Errorf("without --embed-origins: %+v, want version %d and no origin", c, server.EmbedVersion)
	}
	dir = t.TempDir()
	if got := exportCmd([]string{"--embed-origins", "https://Course.Example,http://127.0.0.1:9000", dir}); got != 0 {
		t.Fatalf("nslab export --embed-origins: status %d", got)
	}
	if c := read(dir); strings.Join(c.Origins, " ") != "https://course.example http://127.0.0.1:9000" {
		t.Errorf("with --embed-origins: %+v", c)
	}
	dir = filepath.Join(t.TempDir(), "site")
	if got := exportCmd([]string{"--embed-origins", "https://*.example", dir}); got != 2 {
		t.Errorf("nslab export --embed-origins https://*.example: status %d, want 2", got)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("a refused export wrote %s", dir)
	}
}
