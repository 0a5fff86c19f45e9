package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// moduleRoot is the main module's directory; tests run in wasm/build.
func moduleRoot(t testing.TB) string {
	root, err := goOutput("", "list", "-m", "-f", "{{.Dir}}")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// The browser build must not depend on net/http or html/template (and so
// not on crypto/tls and its initialisers): that is the point of the slim
// templ copy. The unmodified build does, or the copy would be pointless.
func TestSlimBuildLeavesOutNetHTTP(t *testing.T) {
	root := moduleRoot(t)
	modfile, err := slimModfile(root, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	deps := func(extra ...string) map[string]bool {
		args := append([]string{"list", "-deps"}, extra...)
		cmd := exec.Command("go", append(args, "./wasm")...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %v: %v", args, err)
		}
		m := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			m[p] = true
		}
		return m
	}
	slim, plain := deps("-modfile", modfile), deps()
	for _, p := range []string{"net/http", "html/template", "crypto/tls"} {
		if slim[p] {
			t.Errorf("the browser build still depends on %s", p)
		}
	}
	if !plain["net/http"] {
		t.Log("templ no longer brings net/http: the slim copy can go (see main.go)")
	}
	for _, p := range []string{"github.com/a-h/templ", "github.com/nslab/nslab/web", "github.com/nslab/nslab/sim"} {
		if !slim[p] {
			t.Errorf("the browser build lost %s", p)
		}
	}
}

// The copy keeps templ's rendering and drops only what used net/http or
// html/template: the names the views' generated code calls are all there.
func TestSlimTemplKeepsTheRenderer(t *testing.T) {
	dir, err := goOutput(moduleRoot(t), "list", "-m", "-f", "{{.Dir}}", templModule)
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if err := slimTempl(dir, dst); err != nil {
		t.Fatal(err)
	}
	root, err := os.ReadFile(filepath.Join(dst, "runtime.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{"type Component interface", "type ComponentFunc func", "func EscapeString", "func GetBuffer", "func JoinStringErrs"} {
		if !strings.Contains(string(root), keep) {
			t.Errorf("the slim runtime.go lost %q", keep)
		}
	}
	for _, gone := range []string{`"net/http"`, `"html/template"`, "func ToGoHTML", "func NewCSSMiddleware"} {
		if strings.Contains(string(root), gone) {
			t.Errorf("the slim runtime.go still has %q", gone)
		}
	}
	buf, err := os.ReadFile(filepath.Join(dst, "runtime", "buffer.go"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(buf), `"net/http"`) || !strings.Contains(string(buf), "Underlying.(interface {") {
		t.Errorf("runtime/buffer.go: the http.Flusher assertion was not replaced by its equivalent:\n%s", buf)
	}
}

// gzipBudget is the most nslab.wasm may weigh gzipped, as the server and
// an exported site send it: 2.5 MB, about 2 s on a 10 Mbit/s link, so
// that /sim can be typed into within 3 s there (docs/BENCHMARKS.md).
const gzipBudget = 2_500_000

// The simulator must fit its budget: every tool it gains is paid for by
// every visitor's first download.
func TestWasmFitsTheBudget(t *testing.T) {
	res, err := build(filepath.Join(t.TempDir(), "nslab.wasm"), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("nslab.wasm: %d bytes, %d gzipped (budget %d)", res.size, res.gzipSize, gzipBudget)
	if res.gzipSize > gzipBudget {
		t.Errorf("nslab.wasm is %d bytes gzipped, over its budget of %d: make room "+
			"or argue for a bigger budget in docs/BENCHMARKS.md",
			res.gzipSize, gzipBudget)
	}
}

// BenchmarkWasmSize builds nslab.wasm as the Taskfile does and reports
// its size, gzipped (the target: at most gzipBudget, 2.5 MB) and raw.
// The time per operation is the build's and means little.
func BenchmarkWasmSize(b *testing.B) {
	out := filepath.Join(b.TempDir(), "nslab.wasm")
	var res result
	for b.Loop() {
		var err error
		if res, err = build(out, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.gzipSize), "gzip-bytes")
	b.ReportMetric(float64(res.size), "wasm-bytes")
}
