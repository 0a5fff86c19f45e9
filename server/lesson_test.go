package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/nsstate"
)

// writeLesson writes a Killercoda-format lesson named name into a new
// folder and loads it: files maps paths in the lesson folder to contents.
func writeLesson(t *testing.T, name string, files map[string]string) *lesson.Lesson {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := lesson.Load(os.DirFS(filepath.Dir(dir)), name)
	if err != nil {
		t.Fatalf("load lesson %s: %v", name, err)
	}
	return l
}

// twoStepLesson has an intro with a background and a foreground script,
// and two steps whose checks look at a file and at the hostname.
func twoStepLesson(t *testing.T) *lesson.Lesson {
	return writeLesson(t, "two-steps", map[string]string{
		"index.json": `{"title": "Two steps", "details": {
			"intro": {"text": "intro.md", "background": "intro/bg.sh", "foreground": "intro/fg.sh"},
			"steps": [
				{"title": "A file", "text": "step1/text.md", "verify": "step1/verify.sh"},
				{"title": "A hostname", "text": "step2/text.md", "verify": "step2/verify.sh"}
			],
			"finish": {"text": "finish.md"}}}`,
		"intro.md":        "Welcome.\n",
		"intro/bg.sh":     "echo ran > /tmp/background-ran\n",
		"intro/fg.sh":     "#!/bin/bash\necho FOREGROUND-\"\"TYPED\n",
		"step1/text.md":   "Make a file:\n\n```\ntouch /tmp/one\n```{{exec}}\n",
		"step1/verify.sh": "test -f /tmp/one\n",
		"step2/text.md":   "<!-- nslab view=map -->\nName the host:\n\n```\nhostname changed\n```{{exec}}\n",
		"step2/verify.sh": "[ \"$(hostname)\" = changed ]\n",
		"finish.md":       "Done.\n",
	})
}

func withLessons(ls ...*lesson.Lesson) func(*Config) {
	return func(c *Config) { c.Lessons = ls }
}

// createWithLesson posts {"lesson": name} and returns the new lab.
func (h *harness) createWithLesson(name string) created {
	h.t.Helper()
	resp, body := h.do(http.DefaultClient, "POST", "/api/labs", "", `{"lesson": "`+name+`"}`)
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("POST /api/labs {lesson: %s}: %s %s", name, resp.Status, body)
	}
	var c created
	if err := json.Unmarshal(body, &c); err != nil {
		h.t.Fatalf("POST /api/labs: %v in %s", err, body)
	}
	return c
}

// A lab made with a lesson opens with its panel, runs the intro's
// background script and types its foreground script, ticks each step as
// the learner does it, and keeps the progress for a page that comes back.
func TestLessonLabTicksItsSteps(t *testing.T) {
	l := twoStepLesson(t)
	h := newHarness(t, Limits{}, withLessons(l))
	lab := h.createWithLesson("two-steps")
	if !strings.HasPrefix(lab.URL, "/lab/"+lab.ID) || !strings.Contains(lab.URL, "#token="+lab.Token) {
		t.Fatalf("url %q does not open lab %s", lab.URL, lab.ID)
	}
	c := h.dial(lab)
	m := c.expect("lesson")
	html, _ := m["html"].(string)
	if m["name"] != "two-steps" || !strings.Contains(html, `data-lesson="two-steps"`) || !strings.Contains(html, `data-step="2"`) || m["current"] != float64(1) {
		t.Fatalf("lesson message %v", m)
	}
	if strings.Contains(html, `data-done="true"`) {
		t.Fatalf("a step is done before anything ran:\n%s", html)
	}
	c.open(0, 24, 80)
	c.waitOutput(0, "FOREGROUND-TYPED")
	c.shellReady(0)
	c.run(0, "cat /tmp/background-ran", "ran")

	c.typeIn(0, "touch /tmp/one\r")
	p := c.expect("progress")
	if p["step"] != float64(1) || p["current"] != float64(2) || fmt.Sprint(p["done"]) != "[1]" {
		t.Fatalf("progress %v, want step 1 done", p)
	}
	c.typeIn(0, "hostname changed\r")
	p = c.expect("progress")
	if p["step"] != float64(2) || p["current"] != float64(3) || fmt.Sprint(p["done"]) != "[1 2]" {
		t.Fatalf("progress %v, want steps 1 and 2 done", p)
	}

	// A reload: the new connection gets the panel with both steps done.
	c2 := h.dial(lab)
	m = c2.expect("lesson")
	html, _ = m["html"].(string)
	if n := strings.Count(html, `data-done="true"`); n != 2 || fmt.Sprint(m["done"]) != "[1 2]" {
		t.Fatalf("after a reload %d steps are marked done (%v), want 2:\n%s", n, m["done"], html)
	}
}

// A check's processes, and what they start, never show in the lab's
// state, though the lab's own ps sees them running at the same moment.
func TestLessonChecksAreAbsentFromState(t *testing.T) {
	l := writeLesson(t, "slow-check", map[string]string{
		"index.json": `{"title": "Slow check", "details": {"steps": [{"text": "s.md", "verify": "verify.sh"}]}}`,
		"s.md":       "Nothing to do.\n",
		"verify.sh":  "(exec -a nslab-check-child sleep 3) &\nexec -a nslab-check-marker sleep 3\n",
	})
	h := newHarness(t, Limits{}, withLessons(l))
	lab := h.createWithLesson("slow-check")
	seenByPS := false
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		// The exec is a change of the lab's state too: it keeps the
		// checks coming.
		resp, body := h.do(http.DefaultClient, "POST", "/api/labs/"+lab.ID+"/exec", lab.Token, `{"cmd": "ps -eo args"}`)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("exec: %s %s", resp.Status, body)
		}
		inPS := strings.Contains(string(body), "nslab-check-marker")
		resp, body = h.do(http.DefaultClient, "GET", "/api/labs/"+lab.ID+"/state", lab.Token, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("state: %s %s", resp.Status, body)
		}
		if bytes.Contains(body, []byte("nslab-check")) {
			t.Fatalf("a check's process is in the lab's state:\n%s", body)
		}
		if inPS {
			seenByPS = true
			// The state read in the next second, while the check surely
			// still runs (it sleeps 3 s), is read after it started.
			for i := 0; i < 10; i++ {
				time.Sleep(100 * time.Millisecond)
				_, body = h.do(http.DefaultClient, "GET", "/api/labs/"+lab.ID+"/state", lab.Token, "")
				if bytes.Contains(body, []byte("nslab-check")) {
					t.Fatalf("a check's process is in the lab's state:\n%s", body)
				}
			}
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !seenByPS {
		t.Fatal("no check ran within 20 s (ps in the lab never showed it): the test proves nothing")
	}
}

// syncBuffer is a log destination tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A check that never ends is cut off at the check timeout, with what it
// started, and reported in the server's log for the lesson's author; the
// learner's page gets no error, and the lab goes on.
func TestLessonCheckThatHangsIsCutOff(t *testing.T) {
	l := writeLesson(t, "hangs", map[string]string{
		"index.json": `{"title": "Hangs", "details": {"steps": [{"text": "s.md", "verify": "verify.sh"}]}}`,
		"s.md":       "Wait.\n",
		"verify.sh":  "sleep 1000 &\nexec -a nslab-hanging-check sleep infinity\n",
	})
	var logs syncBuffer
	h := newHarness(t, Limits{}, withLessons(l), func(c *Config) {
		c.checkTimeout = time.Second
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	lab := h.createWithLesson("hangs")
	c := h.dial(lab)
	c.expect("lesson")
	waitFor(t, "the check to be reported cut off", func() bool {
		return strings.Contains(logs.String(), "lesson check cut off")
	})
	if !strings.Contains(logs.String(), "file=verify.sh") {
		t.Errorf("the report does not name the script:\n%s", logs.String())
	}
	// What it started was killed with it.
	waitFor(t, "the check's sleep 1000 to end", func() bool {
		_, body := h.do(http.DefaultClient, "POST", "/api/labs/"+lab.ID+"/exec", lab.Token, `{"cmd": "ps -eo args"}`)
		var res execResult
		json.Unmarshal(body, &res)
		return res.Exit == 0 && !strings.Contains(res.Stdout, "sleep 1000") && !strings.Contains(res.Stdout, "nslab-hanging-check") ||
			// Another check may have started meanwhile: then it is
			// the newest only.
			strings.Count(res.Stdout, "sleep 1000") == 1
	})
	c.open(0, 24, 80)
	c.shellReady(0)
	c.run(0, "echo still-$((40+2))", "still-42")
	// No error reached the learner.
	for {
		select {
		case m := <-c.msgs:
			if m["type"] == "error" || m["type"] == "progress" {
				t.Fatalf("the learner got %v", m)
			}
			continue
		default:
		}
		break
	}
}

// POST /api/labs reads its body strictly: nothing, or {"lesson": NAME}
// for a lesson the server has. Every other body gets a 400 that says what
// is wrong, and no lab.
func TestCreateLabBadBodies(t *testing.T) {
	h := newHarness(t, Limits{}, withLessons(twoStepLesson(t)))
	for _, tc := range []struct{ body, want string }{
		{`{"lesson": "no-such-lesson"}`, `no lesson named "no-such-lesson"`},
		{`{"lesson": 5}`, `"lesson" is not a string`},
		{`{"LESSON": "two-steps"}`, `unknown field "LESSON"`},
		{`{"lesson": "two-steps", "lesson": "two-steps"}`, "given twice"},
		{`{"lesson": "two-steps"} junk`, "want no body"},
		{`{"lesson": "two-steps"}{}`, "data after the JSON object"},
		{`{"lesson": "two-steps"`, "want no body"},
		{`[]`, "not a JSON object"},
		{`{}`, "no lesson named"},
		{`{"lesson": ""}`, "no lesson named"},
		{"lesson=two-steps", "want no body"},
	} {
		resp, body := h.do(http.DefaultClient, "POST", "/api/labs", "", tc.body)
		var e errorBody
		json.Unmarshal(body, &e)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error, tc.want) {
			t.Errorf("POST /api/labs %s: %s %s, want 400 saying %s", tc.body, resp.Status, body, tc.want)
		}
	}
	if n := h.srv.Stats().Labs; n != 0 {
		t.Errorf("%d labs made for bad bodies", n)
	}
	// An empty body is a lab without a lesson, as before.
	h.create()
}

// GET /lessons/NAME.json serves a lesson as the simulator's page reads it.
func TestLessonJSONIsServed(t *testing.T) {
	srv := New(Config{Lessons: []*lesson.Lesson{twoStepLesson(t)}, Logger: testLogger(t)})
	defer srv.Close()
	url := serveLoopback(t, srv, nil)
	resp, err := http.Get(url + "/lessons/two-steps.json")
	if err != nil {
		t.Fatal(err)
	}
	var r lesson.Rendered
	err = json.NewDecoder(resp.Body).Decode(&r)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || r.Name != "two-steps" || len(r.Steps) != 2 || r.Steps[0].Verify == "" {
		t.Fatalf("GET /lessons/two-steps.json: %s %v %+v", resp.Status, err, r)
	}
	for _, p := range []string{"/lessons/nope.json", "/lessons/two-steps", "/lessons/..%2Fx.json"} {
		resp, err := http.Get(url + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", p, resp.Status)
		}
	}
}

// hideProcs leaves out the roots, their descendants, and namespaces only
// they were in; everything else stays.
func TestHideProcs(t *testing.T) {
	ns := func(pid string) map[nsstate.NSType]string {
		return map[nsstate.NSType]string{"pid": pid, "user": "user:[1]"}
	}
	snap := &nsstate.Snapshot{
		Host: map[nsstate.NSType]string{"pid": "pid:[1]", "user": "user:[1]"},
		Namespaces: []nsstate.Namespace{
			{ID: "pid:[1]", Type: "pid"}, {ID: "user:[1]", Type: "user"}, {ID: "pid:[2]", Type: "pid"}, {ID: "pid:[3]", Type: "pid"},
		},
		Processes: []nsstate.Process{
			{PID: 1, NS: ns("pid:[1]")},
			{PID: 10, PPID: 1, NS: ns("pid:[1]")},  // the learner's shell
			{PID: 11, PPID: 10, NS: ns("pid:[3]")}, // the learner's container
			{PID: 20, PPID: 1, NS: ns("pid:[1]")},  // a check
			{PID: 21, PPID: 20, NS: ns("pid:[2]")}, // its child, in a namespace of its own
			{PID: 22, PPID: 21, NS: ns("pid:[2]")}, // and grandchild
			{PID: 23, PPID: 1, NS: ns("pid:[3]")},  // not the check's
		},
	}
	got := hideProcs(snap, map[int]struct{}{20: {}})
	var pids []int
	for _, p := range got.Processes {
		pids = append(pids, p.PID)
	}
	var ids []string
	for _, n := range got.Namespaces {
		ids = append(ids, n.ID)
	}
	if fmt.Sprint(pids) != "[1 10 11 23]" || fmt.Sprint(ids) != "[pid:[1] user:[1] pid:[3]]" {
		t.Errorf("hideProcs kept processes %v and namespaces %v", pids, ids)
	}
	if len(snap.Processes) != 7 {
		t.Errorf("hideProcs changed the snapshot it was given")
	}
}
