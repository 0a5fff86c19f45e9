package assets

import (
	"context"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/web"
)

func TestHandWrittenFiles(t *testing.T) {
	for _, name := range []string{"js/lab.js", "js/landing.js", "js/transport.js", "js/views.js", "js/lesson.js", "css/nslab.css", "img/nslab.svg"} {
		if _, err := fs.Stat(FS, name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

var importRE = regexp.MustCompile(`(?m)^import [^"]*"([^"]+)";|import\("([^"]+)"\)`)

// Every module a script imports must be in FS, or the page breaks at load
// with nothing but a console error. The xterm.js files come from the
// asset build.
func TestImportsResolve(t *testing.T) {
	if _, err := fs.Stat(FS, "dist/xterm.mjs"); err != nil {
		testenv.Missing(t, "the built assets (assets/dist/xterm.mjs)", "run `npm ci && node assets/build.mjs`, then test again")
	}
	scripts, err := fs.Glob(FS, "js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, s := range scripts {
		b, err := fs.ReadFile(FS, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range importRE.FindAllStringSubmatch(string(b), -1) {
			spec := m[1] + m[2]
			target := path.Join(path.Dir(s), spec)
			if _, err := fs.Stat(FS, target); err != nil {
				t.Errorf("%s imports %s: %v", s, spec, err)
			}
			n++
		}
	}
	if n < 5 {
		t.Errorf("found only %d imports; the pattern no longer matches the scripts", n)
	}
}

var staticRefRE = regexp.MustCompile(`(?:href|src)="/static/([^"]+)"`)

// The pages refer to files under /static/; each must be in FS, and the
// lab page must preload exactly the modules its script imports.
func TestPagesReferToFilesThatExist(t *testing.T) {
	if _, err := fs.Stat(FS, "dist/xterm.mjs"); err != nil {
		testenv.Missing(t, "the built assets (assets/dist/xterm.mjs)", "run `npm ci && node assets/build.mjs`, then test again")
	}
	// The simulator's page preloads the wasm and Go's wasm_exec.js.
	if _, err := fs.Stat(FS, "dist/nslab.wasm"); err != nil {
		testenv.Missing(t, "the built simulator (assets/dist/nslab.wasm)", "run `go run ./wasm/build`, then test again")
	}
	pages := map[string]templ.Component{"landing": web.Landing(nil), "lab": web.LabPage("abc"), "sim": web.SimPage(nil, 0), "replay": web.ReplayPage()}
	for name, c := range pages {
		var b strings.Builder
		if err := c.Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		refs := staticRefRE.FindAllStringSubmatch(b.String(), -1)
		if len(refs) < 3 {
			t.Errorf("%s page: only %d references to /static/", name, len(refs))
		}
		for _, m := range refs {
			if _, err := fs.Stat(FS, m[1]); err != nil {
				t.Errorf("%s page refers to /static/%s: %v", name, m[1], err)
			}
		}
		if name != "lab" {
			continue
		}
		var preloaded []string
		for _, m := range regexp.MustCompile(`rel="modulepreload" href="/static/([^"]+)"`).FindAllStringSubmatch(b.String(), -1) {
			preloaded = append(preloaded, m[1])
		}
		src, err := fs.ReadFile(FS, "js/lab.js")
		if err != nil {
			t.Fatal(err)
		}
		var imported []string
		for _, m := range regexp.MustCompile(`(?m)^import [^"]*"([^"]+)";`).FindAllStringSubmatch(string(src), -1) {
			imported = append(imported, path.Join("js", m[1]))
		}
		sort.Strings(preloaded)
		sort.Strings(imported)
		if !slices.Equal(preloaded, imported) {
			t.Errorf("the lab page preloads %v but lab.js imports %v", preloaded, imported)
		}
	}
}
