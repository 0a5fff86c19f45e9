package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/nslab/nslab/assets"
	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/server"
	"github.com/nslab/nslab/web"
)

func init() {
	register("export", "write the simulator as a static site", exportCmd)
}

// exportStatic is where an exported site keeps the static files,
// relative to its index.html. Every address in the page is relative, so
// the site works from any static file server under any path prefix.
const exportStatic = "static/"

// simulatorFiles are the files without which the exported page cannot
// run its lab: a binary built before the wasm has none of them.
var simulatorFiles = []string{web.SimWasm, "dist/wasm_exec.js"}

// exportCmd is `nslab export [--force] DIR`.
func exportCmd(args []string) int {
	fl := flag.NewFlagSet("export", flag.ContinueOnError)
	fl.Usage = func() {
		fmt.Fprintf(fl.Output(), "usage: nslab export [flags] DIR\n\n"+
			"Writes the simulator as a static site into DIR: index.html and static/.\n"+
			"Any static file server can serve it, under any path; it makes no other request.\n\nflags:\n")
		fl.PrintDefaults()
	}
	force := fl.Bool("force", false, "write into DIR even if it is not empty (files of the same name are replaced)")
	var embedOrigins listFlag
	fl.Var(&embedOrigins, "embed-origins", "let pages of this `ORIGIN` drive the simulator embedded in a frame (index.html?embed=1) with postMessage (static/embed.json; docs/embedding.md); repeatable")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "nslab export: give exactly one directory (nslab export [--force] DIR)")
		return 2
	}
	dir := fl.Arg(0)
	if err := server.CheckOrigins(embedOrigins); err != nil {
		fmt.Fprintf(os.Stderr, "nslab export: --embed-origins: %v\n", err)
		return 2
	}
	err := exportSite(dir, assets.FS, *force)
	if err == nil {
		err = writeEmbedConfig(dir, embedOrigins)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "nslab export: %v\n", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "nslab export: wrote the simulator to %s (serve it with any static file server; open index.html through it, not as a file)\n", dir)
	return 0
}

// exportSite writes the simulator page as dir/index.html and the static
// files from files under dir/static/, with a gzip copy of the wasm beside
// it for servers that serve precompressed files (nginx's gzip_static,
// Caddy's precompressed); others serve the wasm as it is.
func exportSite(dir string, files fs.FS, force bool) error {
	for _, name := range simulatorFiles {
		if _, err := fs.Stat(files, name); err != nil {
			return fmt.Errorf("this nslab was built without the simulator (no %s among its assets): "+
				"build it (go run ./wasm/build, or the wasm task), then rebuild nslab", name)
		}
	}
	if err := readyDir(dir, force); err != nil {
		return err
	}

	lessons, err := lesson.Builtin()
	if err != nil {
		return fmt.Errorf("built-in lessons: %w", err)
	}
	if err := exportLessons(dir, lessons); err != nil {
		return err
	}
	wasm, err := fs.Stat(files, simulatorFiles[0])
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := web.SimPageAt(exportStatic, "./", lessonItems(lessons), wasm.Size()).Render(context.Background(), &page); err != nil {
		return fmt.Errorf("render the simulator page: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), page.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write index.html: %w", err)
	}
	if err := exportReplay(dir); err != nil {
		return err
	}

	err = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && name != "." {
			// dist/.keep and the like: placeholders, not part of the site.
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		dst := filepath.Join(dir, filepath.FromSlash(path.Join(exportStatic, name)))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		return copyFile(files, name, dst)
	})
	if err != nil {
		return fmt.Errorf("copy the static files: %w", err)
	}

	// The wasm build writes nslab.wasm.gz (copied above); a wasm built
	// some other way gets one here.
	if _, err := fs.Stat(files, simulatorFiles[0]+".gz"); err != nil {
		wasm := filepath.Join(dir, filepath.FromSlash(exportStatic+simulatorFiles[0]))
		if err := gzipFile(wasm, wasm+".gz"); err != nil {
			return fmt.Errorf("compress the wasm: %w", err)
		}
	}
	return nil
}

// readyDir makes dir if needed and refuses one that holds anything,
// unless force: an export must not silently mix with other files.
func readyDir(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("make %s: %w", dir, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("use %s for the site: %w", dir, err)
	case len(entries) > 0 && !force:
		return fmt.Errorf("%s is not empty (%d entries); choose an empty directory or pass --force to write over it", dir, len(entries))
	}
	return nil
}

func copyFile(files fs.FS, name, dst string) error {
	src, err := files.Open(name)
	if err != nil {
		return err
	}
	defer src.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, src); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", name, err)
	}
	return out.Close()
}

// gzipFile writes src compressed as hard as gzip goes: it is compressed
// once and downloaded by every visitor.
func gzipFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(out, gzip.BestCompression)
	if err == nil {
		_, err = io.Copy(zw, in)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// exportLessons writes each lesson as the simulator's page fetches it,
// dir/lessons/NAME.json (what a server serves at /lessons/NAME.json), so
// that index.html?lesson=NAME works with no server.
func exportLessons(dir string, ls []*lesson.Lesson) error {
	if err := os.MkdirAll(filepath.Join(dir, "lessons"), 0o755); err != nil {
		return fmt.Errorf("write lessons: %w", err)
	}
	for _, l := range ls {
		b, err := json.Marshal(l.Render())
		if err != nil {
			return fmt.Errorf("lesson %s: %w", l.Name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, "lessons", l.Name+".json"), b, 0o644); err != nil {
			return fmt.Errorf("write lesson %s: %w", l.Name, err)
		}
	}
	return nil
}

// lessonItems lists lessons for a page's lesson picker.
func lessonItems(ls []*lesson.Lesson) []web.LessonItem {
	items := make([]web.LessonItem, 0, len(ls))
	for _, l := range ls {
		items = append(items, web.LessonItem{Name: l.Name, Title: l.Title, Description: l.Description})
	}
	return items
}
