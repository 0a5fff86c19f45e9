// Command build builds the simulator for the browser: nslab.wasm from
// package wasm, Go's wasm_exec.js beside it, and nslab.wasm.gz and
// wasm_exec.js.gz, the same files gzipped once at the highest level for
// servers that can send them precompressed.
//
//	go run ./wasm/build -o assets/dist/nslab.wasm
//
// Why not a plain `GOOS=js GOARCH=wasm go build`: the templ runtime the
// views are rendered with imports net/http (for templ.Handler and a CSS
// middleware) and html/template (for converting to and from it). The
// browser uses neither, but importing net/http brings crypto/tls, and the
// initialisers of the crypto packages keep about a fifth of the binary
// alive. So the build compiles against a copy of the pinned templ module
// from which exactly the declarations that use those two packages are
// removed (see slim.go); the code that renders is templ's own, unchanged.
// -plain builds without that, for comparison.
//
// It must not change the module's go.mod or go.sum: the copy is used
// through a temporary -modfile.
package main

import (
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// templModule is the module slimmed for the browser build.
const templModule = "github.com/a-h/templ"

func main() {
	out := flag.String("o", "assets/dist/nslab.wasm", "write the wasm to `FILE` (wasm_exec.js and FILE.gz go beside it)")
	plain := flag.Bool("plain", false, "build against the unmodified templ module (bigger; for comparison)")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./wasm/build [-o FILE] [-plain]")
		os.Exit(2)
	}
	res, err := build(*out, !*plain)
	if err != nil {
		fmt.Fprintf(os.Stderr, "build nslab.wasm: %v\n", err)
		os.Exit(1)
	}
	slog.Info("built", "wasm", *out, "bytes", res.size, "gzip_bytes", res.gzipSize, "slim", !*plain)
}

// result is what a build wrote.
type result struct {
	size, gzipSize int64
}

// build writes the wasm to out, wasm_exec.js beside it and out+".gz". It
// runs from anywhere inside the module.
func build(out string, slim bool) (result, error) {
	var res result
	root, err := goOutput("", "list", "-m", "-f", "{{.Dir}}")
	if err != nil {
		return res, fmt.Errorf("find the module: %w", err)
	}
	tmp, err := os.MkdirTemp("", "nslab-wasm-build-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)

	// nslab's own packages are compiled without inlining: it saves about
	// 225 KB of the gzipped download (2.50 MB -> 2.27 MB measured with the
	// simulator, shell, awk and tools of issue 11), and the simulator's
	// commands showed no difference beyond noise in BenchmarkCommand and
	// BenchmarkNewLab (sub-millisecond either way). The standard library
	// and the runtime keep their inlining.
	args := []string{"build", "-trimpath", "-gcflags=github.com/nslab/nslab/...=-l", "-ldflags=-s -w", "-o", mustAbs(out)}
	if slim {
		modfile, err := slimModfile(root, tmp)
		if err != nil {
			return res, err
		}
		args = append(args, "-modfile", modfile)
	}
	args = append(args, "./wasm")
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return res, fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}

	goroot, err := goOutput("", "env", "GOROOT")
	if err != nil {
		return res, err
	}
	execJS := filepath.Join(filepath.Dir(out), "wasm_exec.js")
	if err := copyFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"), execJS); err != nil {
		return res, fmt.Errorf("copy wasm_exec.js: %w", err)
	}
	if _, err := gzipFile(execJS, execJS+".gz"); err != nil {
		return res, fmt.Errorf("compress wasm_exec.js: %w", err)
	}
	if res.gzipSize, err = gzipFile(out, out+".gz"); err != nil {
		return res, fmt.Errorf("compress: %w", err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		return res, err
	}
	res.size = fi.Size()
	return res, nil
}

// slimModfile writes a slimmed copy of the templ module the main module
// requires into tmp, and a go.mod (with its go.sum) that replaces templ by
// it. It returns the go.mod's path, for -modfile.
func slimModfile(root, tmp string) (string, error) {
	dir, err := goOutput(root, "list", "-m", "-f", "{{.Dir}}", templModule)
	if err == nil && dir == "" {
		// On a fresh module cache (a newcomer's first build) go list
		// names no folder until the module is downloaded.
		if _, err = goOutput(root, "mod", "download", templModule); err == nil {
			dir, err = goOutput(root, "list", "-m", "-f", "{{.Dir}}", templModule)
		}
	}
	if err != nil {
		return "", fmt.Errorf("find %s: %w", templModule, err)
	}
	if dir == "" {
		return "", fmt.Errorf("find %s: the go command names no folder for it, even after go mod download", templModule)
	}
	copyDir := filepath.Join(tmp, "templ")
	if err := slimTempl(dir, copyDir); err != nil {
		return "", fmt.Errorf("slim %s: %w", templModule, err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	mod = append(mod, fmt.Sprintf("\nreplace %s => %s\n", templModule, copyDir)...)
	modfile := filepath.Join(tmp, "go.mod")
	if err := os.WriteFile(modfile, mod, 0o644); err != nil {
		return "", err
	}
	// The go.sum must sit beside the -modfile, under the same base name.
	if err := copyFile(filepath.Join(root, "go.sum"), filepath.Join(tmp, "go.sum")); err != nil {
		return "", err
	}
	return modfile, nil
}

func goOutput(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(b)), nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// gzipFile writes src compressed as hard as gzip goes (it is compressed
// once and downloaded by every visitor) and returns the compressed size.
func gzipFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	zw, _ := gzip.NewWriterLevel(out, gzip.BestCompression)
	_, err = io.Copy(zw, in)
	err = errors.Join(err, zw.Close())
	if err == nil {
		var fi os.FileInfo
		if fi, err = out.Stat(); err == nil {
			return fi.Size(), out.Close()
		}
	}
	return 0, errors.Join(err, out.Close())
}
