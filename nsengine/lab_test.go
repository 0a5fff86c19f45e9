//go:build linux

package nsengine

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nslab/nslab/internal/testenv"
)

// newTestEngine makes an engine for one test and closes it at the end.
func newTestEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	testenv.RequireRoot(t)
	if err := Probe(); err != nil {
		testenv.Missing(t, "live labs", err.Error())
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("close engine: %v", err)
		}
	})
	return e
}

func spawn(t testing.TB, e *Engine) *Lab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l, err := e.Spawn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// run runs a shell script in the lab host and returns its output
// (stdout and stderr together) and exit status.
func run(t testing.TB, l *Lab, script string) (string, int) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"/bin/sh", "-c", script}, Stdout: w, Stderr: w})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(r)
	status, err := p.Wait()
	if err != nil {
		t.Fatalf("wait for %q: %v", script, err)
	}
	return strings.TrimSpace(string(out)), status
}

func TestLabBasics(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	out, status := run(t, l, "hostname; id -u; echo $$; pwd; tty; ps -eo pid,comm; mount | head -50; exit 3")
	t.Logf("status %d\n%s", status, out)
	if status != 3 {
		t.Errorf("status %d, want 3", status)
	}
}

func TestSnapshot(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	run(t, l, "unshare -pf --mount-proc sleep 30 >/dev/null 2>&1 & sleep 0.3")
	s, err := l.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range s.Processes {
		if p.Comm == "sleep" && len(p.NSpid) == 2 && p.NSpid[1] == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("no sleep as PID 1 of a nested PID namespace in %+v", s.Processes)
	}
}
