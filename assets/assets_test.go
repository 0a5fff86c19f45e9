package assets

import (
	"io/fs"
	"path"
	"regexp"
	"testing"

	"github.com/nslab/nslab/internal/testenv"
)

func TestHandWrittenFiles(t *testing.T) {
	for _, name := range []string{"js/lab.js", "js/landing.js", "js/transport.js", "js/views.js", "css/nslab.css", "img/nslab.svg"} {
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
