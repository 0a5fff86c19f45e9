package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/nsstate"
)

// The differential shell suite: each snippet in testdata/shell runs with
// `SHELL -c SNIPPET` through the machine's real dash and bash and through
// the simulator's, in a lab of its own, and the transcripts (standard
// output and standard error on one stream, then "exit=STATUS") must be
// identical byte for byte. No normalisation: a snippet prints nothing
// that depends on the machine (no PIDs, times or paths outside the lab
// host's), and the real shells run with the lab host's environment in an
// empty folder of their own, as the simulated ones run in /root.
//
// A snippet starts with comment lines that say which shells it is for and
// where it comes from:
//
//	# shells: dash bash
//	# source: POSIX.1-2017 XCU 2.6.2 Parameter Expansion (its examples)
//
// "sh" is dash called sh (its messages say "sh:"). testdata/shell-floor is
// a ratchet like fidelity-floor: "floor N", then the cases (FILE:SHELL)
// that must stay identical; -update-floor rewrites it.

// shellCase is one snippet run by one shell.
type shellCase struct {
	name, shell, script string
}

// readShellCases reads the snippets and the shells each one targets.
func readShellCases(t *testing.T) []shellCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "shell", "*.sh"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no snippets in testdata/shell: %v", err)
	}
	sort.Strings(files)
	var cases []shellCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".sh")
		var shells []string
		hasSource := false
		for _, line := range strings.Split(string(data), "\n") {
			if !strings.HasPrefix(line, "#") {
				break
			}
			if v, ok := strings.CutPrefix(line, "# shells:"); ok {
				shells = strings.Fields(v)
			}
			if strings.HasPrefix(line, "# source:") {
				hasSource = true
			}
		}
		if len(shells) == 0 || !hasSource {
			t.Fatalf("snippet %s: its first lines must name its shells (# shells: dash bash) and its source (# source: …)", f)
		}
		for _, sh := range shells {
			if sh != "dash" && sh != "bash" && sh != "sh" {
				t.Fatalf("snippet %s: unknown shell %q (dash, bash or sh)", f, sh)
			}
			cases = append(cases, shellCase{name: name + ":" + sh, shell: sh, script: string(data)})
		}
	}
	return cases
}

// realShellTranscript runs a snippet through the machine's shell.
func realShellTranscript(t *testing.T, paths map[string]string, c shellCase) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, paths[c.shell], "-c", c.script)
	cmd.Args[0] = c.shell
	cmd.Env = nsstate.LabEnv()
	cmd.Dir = t.TempDir()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	status := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		status = ee.ExitCode()
		if ws, ok := ee.Sys().(interface{ Signal() os.Signal }); ok && status < 0 {
			t.Fatalf("%s: the real %s died of %v", c.name, c.shell, ws.Signal())
		}
	case err != nil:
		t.Fatalf("%s: run the real %s: %v", c.name, c.shell, err)
	}
	return out.String() + "exit=" + strconv.Itoa(status) + "\n"
}

// simShellTranscript runs a snippet through the simulated shell.
func simShellTranscript(c shellCase) string {
	l := NewLab(Options{Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	defer l.Close()
	var out bytes.Buffer
	st := l.RunArgv([]string{c.shell, "-c", c.script}, nil, &out, &out)
	return out.String() + "exit=" + strconv.Itoa(st) + "\n"
}

func TestShellDiff(t *testing.T) {
	paths := map[string]string{
		"dash": testenv.RequireCommand(t, "dash", "dash"),
		"bash": testenv.RequireCommand(t, "bash", "bash"),
	}
	paths["sh"] = paths["dash"]
	cases := readShellCases(t)
	floor, promised := readFloorFile(t, "shell-floor")
	identical := map[string]bool{}
	for _, c := range cases {
		want := realShellTranscript(t, paths, c)
		got := simShellTranscript(c)
		if got == want {
			identical[c.name] = true
			continue
		}
		t.Logf("shell snippet %s differs:\n--- real %s\n%s--- sim\n%s", c.name, c.shell, want, got)
	}
	fmt.Printf("shell suite: %d/%d snippet runs identical (%.1f%%)\n", len(identical), len(cases), 100*float64(len(identical))/float64(len(cases)))
	for _, name := range promised {
		if !identical[name] {
			t.Errorf("shell snippet %s was identical and is not any more (a simulator regression)", name)
		}
	}
	if len(identical) < floor {
		t.Errorf("shell suite %d/%d is below the floor of %d", len(identical), len(cases), floor)
	}
	if *updateFloor && !t.Failed() {
		var names []string
		for n := range identical {
			names = append(names, n)
		}
		sort.Strings(names)
		body := "floor " + strconv.Itoa(len(names)) + "\n" + strings.Join(names, "\n") + "\n"
		if err := os.WriteFile(filepath.Join("testdata", "shell-floor"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readFloorFile reads a ratchet file of testdata: "floor N", then names.
func readFloorFile(t *testing.T, name string) (int, []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	floor, err := strconv.Atoi(strings.TrimPrefix(lines[0], "floor "))
	if err != nil {
		t.Fatalf("%s: first line %q: want \"floor N\"", name, lines[0])
	}
	var names []string
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			names = append(names, l)
		}
	}
	return floor, names
}

// TestShellSuiteCoversBuiltins makes the differential suite cover every
// builtin the simulated shell has: a builtin no snippet runs could answer
// as if it worked without anyone noticing.
func TestShellSuiteCoversBuiltins(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "shell", "*.sh"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no snippets in testdata/shell: %v", err)
	}
	var body strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if !strings.HasPrefix(line, "#") {
				body.WriteString(" " + line + "\n")
			}
		}
	}
	text := body.String()
	for name := range builtins {
		re := regexp.MustCompile(`(^|[\s;&|({'"])` + regexp.QuoteMeta(name) + `($|[\s;&|)}'"])`)
		if !re.MatchString(text) {
			t.Errorf("no snippet in testdata/shell runs the builtin %q", name)
		}
	}
}
