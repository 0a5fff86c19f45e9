//go:build linux

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/nsengine"
)

// nslabLessons runs `nslab lessons ARGS…`.
func nslabLessons(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	cmd := exec.Command(nslabBinary(t), append([]string{"lessons"}, args...)...)
	var so, se strings.Builder
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return so.String(), se.String(), cmd.ProcessState.ExitCode()
}

func TestLessonsCLI(t *testing.T) {
	out, _, st := nslabLessons(t, "list")
	if st != 0 || out != strings.Join(lesson.BuiltinOrder, "\n")+"\n" {
		t.Fatalf("list: status %d:\n%s", st, out)
	}
	out, _, st = nslabLessons(t, "list", "--lessons", "../../lesson/testdata")
	if st != 0 || !strings.HasSuffix(out, "time\nkillercoda-demo\n") {
		t.Fatalf("list --lessons: status %d:\n%s", st, out)
	}
	for _, dir := range []string{"../../lesson/testdata", "../../lesson/testdata/killercoda-demo", "../../lesson/builtin"} {
		if out, errs, st := nslabLessons(t, "check", dir); st != 0 {
			t.Fatalf("check %s: status %d:\n%s%s", dir, st, out, errs)
		}
	}

	// A course with a script that does not parse and a missing step file.
	course := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(course, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("bad-script/index.json", `{"title": "x", "details": {"steps": [{"text": "t.md", "verify": "v.sh"}]}}`)
	write("bad-script/t.md", "`mknod /dev/null2 c 1 3`{{exec}}\n")
	write("bad-script/v.sh", "#!/bin/bash\nif true\nthen echo\n")
	write("missing/index.json", "{\"title\": \"x\",\n \"details\": {\"steps\": [\n{\"text\": \"step1.md\"}]}}")
	_, errs, st := nslabLessons(t, "check", course)
	for _, want := range []string{
		filepath.Join(course, "bad-script") + "/v.sh:4: bash: syntax error",
		filepath.Join(course, "bad-script") + "/t.md:1: ",
		"runs mknod, which cannot work here",
		filepath.Join(course, "missing", "index.json") + ":3: step1.md: no such file",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("check: stderr lacks %q:\n%s", want, errs)
		}
	}
	if st == 0 {
		t.Errorf("check of a broken course: status 0")
	}

	if out, errs, st := nslabLessons(t, "solve", "--sim", "--lessons", "../../lesson/testdata", "killercoda-demo"); st != 0 || !strings.Contains(out, "every step ticked") {
		t.Fatalf("solve --sim: status %d:\n%s%s", st, out, errs)
	}
	if _, errs, st := nslabLessons(t, "solve", "--sim", "no-such-lesson"); st == 0 || !strings.Contains(errs, `no valid lesson named "no-such-lesson"`) {
		t.Fatalf("solve of an unknown lesson: status %d: %s", st, errs)
	}
}

// needsStudent are the lessons that run as the lab host's student.
var needsStudent = map[string]bool{"namespaces": true, "user": true}

func TestSolveLessonsLive(t *testing.T) {
	testenv.RequireRoot(t)
	if err := nsengine.Probe(); err != nil {
		testenv.Missing(t, "live labs", err.Error())
	}
	for _, l := range courseLessons(t) {
		t.Run(l.Name, func(t *testing.T) {
			lab, err := newLiveSolveLab()
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := lab.Close(); err != nil {
					t.Error(err)
				}
			}()
			if needsStudent[l.Name] {
				if st, out, _, err := lab.Check("id student"); err != nil || st != 0 {
					testenv.Missing(t, "a live lab host with the student account", "the engine gives every lab the curated /etc of nsstate.LabEtcFiles (issue 9); here: "+strings.TrimSpace(out))
				}
			}
			start := time.Now()
			var out strings.Builder
			if !solveLesson(l, lab, &out) {
				t.Fatalf("not every step ticked:\n%s", out.String())
			}
			t.Logf("%s solved live in %s", l.Name, time.Since(start).Round(time.Millisecond))
		})
	}
}

// A live check that hangs is cut off with what it started; one that
// floods is bounded.
func TestLiveCheckBounds(t *testing.T) {
	testenv.RequireRoot(t)
	if err := nsengine.Probe(); err != nil {
		testenv.Missing(t, "live labs", err.Error())
	}
	lab, err := newLiveSolveLab()
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	lab.checkTimeout = 500 * time.Millisecond
	st, _, timedOut, err := lab.Check("sleep 1000 & sleep infinity")
	if err != nil || !timedOut || st == 0 {
		t.Fatalf("a hanging check: status %d, timed out %v, %v", st, timedOut, err)
	}
	lab.checkTimeout = 5 * time.Second
	if st, out, _, _ := lab.Check(`for d in /proc/[0-9]*; do [ "$(cat $d/comm 2>/dev/null)" = sleep ] && echo left $d; done; true`); st != 0 || out != "" {
		t.Fatalf("the hanging check left processes behind: %s", out)
	}
	lab.checkTimeout = 2 * time.Second
	_, out, _, _ := lab.Check("yes")
	if len(out) > lesson.CheckOutputLimit+100 || !strings.Contains(out, "more bytes dropped") {
		t.Fatalf("a flooding check gave %d bytes", len(out))
	}
}
