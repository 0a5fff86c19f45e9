package main

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nslab/nslab/lesson"
)

// courseLessons are the built-in lessons and the Killercoda-format
// scenario written for the tests.
func courseLessons(t *testing.T) []*lesson.Lesson {
	t.Helper()
	ls, msgs := allLessons("../../lesson/testdata")
	if len(msgs) > 0 {
		t.Fatal(strings.Join(msgs, "\n"))
	}
	if len(ls) != len(lesson.BuiltinOrder)+1 {
		t.Fatalf("%d lessons, want the %d built-in ones and killercoda-demo", len(ls), len(lesson.BuiltinOrder))
	}
	return ls
}

func TestSolveLessonsSimulated(t *testing.T) {
	for _, l := range courseLessons(t) {
		t.Run(l.Name, func(t *testing.T) {
			lab := newSimSolveLab()
			defer lab.Close()
			var out strings.Builder
			if !solveLesson(l, lab, &out) {
				t.Fatalf("not every step ticked:\n%s", out.String())
			}
			if got := strings.Count(out.String(), "  ticked"); got != len(l.Steps) {
				t.Fatalf("%d steps ticked, want %d:\n%s", got, len(l.Steps), out.String())
			}
		})
	}
}

// A step whose check never passes stops the solve and is named.
func TestSolveReportsTheStepThatDoesNotTick(t *testing.T) {
	m := fstest.MapFS{
		"broken/index.json": {Data: []byte(`{"title": "Broken", "details": {"steps": [
			{"title": "fine", "text": "s1.md", "verify": "ok.sh"},
			{"title": "never", "text": "s2.md", "verify": "no.sh"},
			{"title": "after", "text": "s1.md", "verify": "ok.sh"}]}}`)},
		"broken/s1.md": {Data: []byte("`touch /tmp/one`{{exec}}\n")},
		"broken/s2.md": {Data: []byte("`echo two`{{exec}}\n")},
		"broken/ok.sh": {Data: []byte("test -f /tmp/one\n")},
		"broken/no.sh": {Data: []byte("echo nope; exit 4\n")},
	}
	l, err := lesson.Load(m, "broken")
	if err != nil {
		t.Fatal(err)
	}
	lab := newSimSolveLab()
	defer lab.Close()
	var out strings.Builder
	if solveLesson(l, lab, &out) {
		t.Fatalf("solved a lesson whose step 2 cannot tick:\n%s", out.String())
	}
	o := out.String()
	if !strings.Contains(o, "step 2: never\n") || !strings.Contains(o, "did not tick: no.sh (exit status 4, output: nope)") || strings.Contains(o, "step 3") {
		t.Fatalf("report:\n%s", o)
	}
}

// A check that hangs is cut off; one that floods is bounded.
func TestSimCheckBounds(t *testing.T) {
	lab := newSimSolveLab()
	defer lab.Close()
	st, _, timedOut, err := lab.Check("sleep infinity")
	if err != nil || !timedOut || st == 0 {
		t.Fatalf("sleep infinity: status %d, timed out %v, %v", st, timedOut, err)
	}
	_, out, _, _ := lab.Check("yes")
	if len(out) > lesson.CheckOutputLimit+100 || !strings.Contains(out, "more bytes dropped") {
		t.Fatalf("a flooding check gave %d bytes", len(out))
	}
}

// BenchmarkSolveSimulated is one built-in lesson solved end to end in the
// simulator, as `nslab lessons solve --sim pid` does.
func BenchmarkSolveSimulated(b *testing.B) {
	ls, err := lesson.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	var pid *lesson.Lesson
	for _, l := range ls {
		if l.Name == "pid" {
			pid = l
		}
	}
	for b.Loop() {
		lab := newSimSolveLab()
		var out strings.Builder
		if !solveLesson(pid, lab, &out) {
			b.Fatal(out.String())
		}
		lab.Close()
	}
}
