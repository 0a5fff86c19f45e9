package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// `nslab serve --lessons DIR` reports a malformed lesson folder at start,
// naming its file and problem, and serves the others: a lab starts with
// the good lesson, and the bad one is refused as unknown.
func TestServeLessonsFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(p, body string) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("course-good/index.json", `{"title": "Good", "details": {"steps": [{"text": "s.md", "verify": "v.sh"}]}}`)
	write("course-good/s.md", "Make it:\n\n```\ntouch /tmp/x\n```{{exec}}\n")
	write("course-good/v.sh", "test -f /tmp/x\n")
	write("course-bad/index.json", `{"title": "Bad", "details": {"steps": [{"text": "missing.md"}]}`)

	srv := startServe(t, "--warm", "0", "--lessons", dir)
	if status, m := srv.get("POST", "/api/labs", "", `{"lesson": "course-bad"}`); status != 400 || !strings.Contains(m["error"].(string), "course-bad") {
		t.Errorf("POST /api/labs with the bad lesson: %d %v, want 400 naming it", status, m)
	}
	status, lab := srv.get("POST", "/api/labs", "", `{"lesson": "course-good"}`)
	if status != 201 {
		t.Fatalf("POST /api/labs with the good lesson: %d %v", status, lab)
	}
	if status, m := srv.get("GET", "/lessons/course-good.json", "", ""); status != 200 || m["name"] != "course-good" {
		t.Errorf("GET /lessons/course-good.json: %d %v", status, m)
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if err := srv.cmd.Wait(); err != nil {
		t.Errorf("nslab serve after SIGTERM: %v", err)
	}
	log := <-srv.logged
	if !strings.Contains(log, `msg="lesson left out"`) || !strings.Contains(log, "course-bad/index.json") {
		t.Errorf("the bad lesson is not reported with its file:\n%s", log)
	}
}
