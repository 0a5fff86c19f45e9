//go:build linux

package nsengine

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// runAttack runs an attack script in the lab with the attack helper as h
// (see attackhelper_test.go) and returns its output, stdout and stderr
// together.
func runAttack(t *testing.T, l *Lab, script string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer bin.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"/bin/bash", "-c", attackShell + script}, Stdin: bin, Stdout: w, Stderr: w})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(r)
	if _, err := p.Wait(); err != nil {
		t.Fatalf("wait for the attack: %v", err)
	}
	return strings.TrimSpace(string(out))
}
