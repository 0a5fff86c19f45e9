//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeAndShutdown runs `nslab serve` on a free port, makes a lab
// with a background process through the API, and stops the server with
// SIGTERM: it must exit 0 and leave no process of the lab behind.
func TestServeAndShutdown(t *testing.T) {
	cmd := exec.Command(nslabBinary(t), "serve", "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	urls := make(chan string, 1)
	logged := make(chan string, 1)
	go func() {
		var all strings.Builder
		sc := bufio.NewScanner(stderr)
		serving := regexp.MustCompile(`msg=serving url=(http://\S+)`)
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			if m := serving.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		logged <- all.String()
	}()
	var url string
	select {
	case url = <-urls:
	case <-time.After(30 * time.Second):
		t.Fatal("no msg=serving line with the url within 30 s")
	}

	get := func(method, path, token, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		json.Unmarshal(b, &m)
		return resp.StatusCode, m
	}
	if status, m := get("GET", "/healthz", "", ""); status != 200 || m["mode"] != "live" {
		t.Fatalf("healthz: %d %v, want 200 and mode live", status, m)
	}
	status, lab := get("POST", "/api/labs", "", "")
	if status != 201 {
		t.Fatalf("POST /api/labs: %d %v", status, lab)
	}
	id, token := lab["id"].(string), lab["token"].(string)
	status, res := get("POST", "/api/labs/"+id+"/exec", token, `{"cmd":"sleep 4242 & echo started"}`)
	if status != 200 || res["stdout"] != "started\n" {
		t.Fatalf("exec: %d %v", status, res)
	}
	if pids := processesNamed("sleep 4242"); len(pids) != 1 {
		t.Fatalf("the lab's sleep: %d processes on the machine, want 1", len(pids))
	}

	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("nslab serve after SIGTERM: %v, want exit status 0", err)
	}
	log := <-logged
	for _, want := range []string{`msg="lab ended"`, "shutting down", "msg=stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
	if pids := processesNamed("sleep 4242"); len(pids) != 0 {
		t.Errorf("processes %v of the lab outlived the server", pids)
	}
}

// processesNamed lists the PIDs whose command line is cmdline.
func processesNamed(cmdline string) []string {
	var out []string
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err == nil && strings.TrimRight(strings.ReplaceAll(string(b), "\x00", " "), " ") == cmdline {
			out = append(out, filepath.Base(d))
		}
	}
	return out
}

func TestServeRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--bogus"},
		{"extra"},
		{"--allow-origin", "course.example"},
		{"--allow-origin", "https://course.example/path"},
		{"--frame-ancestors", "'none'; script-src *"},
	} {
		cmd := exec.Command(nslabBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
		out, err := cmd.CombinedOutput()
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), "nslab serve") && !strings.Contains(string(out), "usage") {
			t.Errorf("nslab serve %q: %v, output:\n%s\nwant exit status 2 and a message", args, err, out)
		}
	}
}
