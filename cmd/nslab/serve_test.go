//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nslab/nslab/nsstate"
)

// TestServeAndShutdown runs `nslab serve` on a free port, makes a lab
// with a background process through the API, and stops the server with
// SIGTERM: it must exit 0 and leave no process of the lab behind.
func TestServeAndShutdown(t *testing.T) {
	srv := startServe(t, "--warm", "0")
	cmd, get := srv.cmd, srv.get
	if status, m := get("GET", "/healthz", "", ""); status != 200 || m["mode"] != "live" {
		t.Fatalf("healthz: %d %v, want 200 and mode live", status, m)
	}
	status, lab := get("POST", "/api/labs", "", "")
	if status != 201 {
		t.Fatalf("POST /api/labs: %d %v", status, lab)
	}
	id, token := lab["id"].(string), lab["token"].(string)
	// A sleep no other test on the machine runs: the count is machine-wide.
	sleep := fmt.Sprintf("sleep %d", 4_000_000+os.Getpid())
	status, res := get("POST", "/api/labs/"+id+"/exec", token, `{"cmd":"`+sleep+` & echo started"}`)
	if status != 200 || res["stdout"] != "started\n" {
		t.Fatalf("exec: %d %v", status, res)
	}
	if pids := processesNamed(sleep); len(pids) != 1 {
		t.Fatalf("the lab's sleep: %d processes on the machine, want 1", len(pids))
	}

	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("nslab serve after SIGTERM: %v, want exit status 0", err)
	}
	log := <-srv.logged
	for _, want := range []string{`msg="lab ended"`, "shutting down", "msg=stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
	if pids := processesNamed(sleep); len(pids) != 0 {
		t.Errorf("processes %v of the lab outlived the server", pids)
	}
}

// servedNslab is a running `nslab serve` of a test.
type servedNslab struct {
	cmd    *exec.Cmd
	url    string
	logged chan string // the whole log, once the server has exited
	// get makes a request and decodes the JSON answer.
	get func(method, path, token, body string) (int, map[string]any)
}

// startServe runs `nslab serve` on a free port with args and waits for
// its msg=serving line.
func startServe(t *testing.T, args ...string) *servedNslab {
	t.Helper()
	cmd := exec.Command(nslabBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
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
	return &servedNslab{cmd: cmd, url: url, logged: logged, get: get}
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
		{"--frame-ancestors", "https://*.example"},
		{"--frame-ancestors", "course.example"},
		{"--frame-ancestors", "'none'", "--frame-ancestors", "https://course.example"},
		{"--embed-origins", "*"},
		{"--embed-origins", "https://course.example/lab"},
	} {
		cmd := exec.Command(nslabBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
		out, err := cmd.CombinedOutput()
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), "nslab serve") && !strings.Contains(string(out), "usage") {
			t.Errorf("nslab serve %q: %v, output:\n%s\nwant exit status 2 and a message", args, err, out)
		}
	}
}

// TestServeWarmPool runs `nslab serve --warm 1 --max-labs 1`: a lab is set
// up before anyone asks, POST /api/labs hands that very lab out and it
// works, the pool does not let a second lab past --max-labs, and SIGTERM
// leaves no process in the labs' ID ranges and none of their cgroups.
func TestServeWarmPool(t *testing.T) {
	srv := startServe(t, "--warm", "1", "--max-labs", "1")
	server := srv.cmd.Process.Pid

	// The warm lab's init runs (under its anchor, the server's child)
	// before any request.
	var warmInit int
	for deadline := time.Now().Add(15 * time.Second); warmInit == 0; {
		if inits := labInits(server); len(inits) == 1 {
			warmInit = inits[0]
		} else if time.Now().After(deadline) {
			t.Fatalf("the server's lab inits: %v 15 s after start, want one warm lab", inits)
		} else {
			time.Sleep(50 * time.Millisecond)
		}
	}
	// The engine says nothing when the warm lab is set up; that takes
	// milliseconds once its init runs. A request before then would get a
	// lab made on demand, which the log check below tells apart.
	time.Sleep(time.Second)

	status, lab := srv.get("POST", "/api/labs", "", "")
	if status != 201 {
		t.Fatalf("POST /api/labs: %d %v", status, lab)
	}
	id, token := lab["id"].(string), lab["token"].(string)
	status, res := srv.get("POST", "/api/labs/"+id+"/exec", token, `{"cmd":"sleep 4343 & hostname; id -u"}`)
	if status != 200 || res["stdout"] != "lab\n0\n" {
		t.Fatalf("exec in the warm lab: %d %v, want the lab host's hostname and root", status, res)
	}
	if status, m := srv.get("POST", "/api/labs", "", ""); status != 503 {
		t.Errorf("second POST /api/labs with --max-labs 1: %d %v, want 503 (warm labs must not add places)", status, m)
	}

	// Wait for the pool to refill, so that shutdown has a lab in use and
	// a warm one to end.
	var inits []int
	for deadline := time.Now().Add(15 * time.Second); len(inits) < 2 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		inits = labInits(server)
	}
	if len(inits) != 2 {
		t.Errorf("lab inits after handing out the warm lab: %v, want the lab in use and a new warm one", inits)
	}
	var ranges []uint64
	type cgroupDir struct {
		path string
		ino  uint64
	}
	var cgroups []cgroupDir
	for _, pid := range inits {
		base, ok := processUID(pid)
		if !ok {
			t.Fatalf("lab init %d: no uid", pid)
		}
		ranges = append(ranges, base)
		for _, dir := range labCgroupDirs(t, pid) {
			var st syscall.Stat_t
			if err := syscall.Stat(dir, &st); err != nil {
				t.Fatalf("lab init %d's cgroup %s: %v", pid, dir, err)
			}
			cgroups = append(cgroups, cgroupDir{dir, st.Ino})
		}
	}
	if len(cgroups) == 0 {
		t.Fatal("found no cgroup folders of the labs")
	}
	t.Logf("the labs' cgroups: %v", cgroups)
	before := processesInRanges(ranges)
	if len(before) < 3 { // two inits, the sleep (and whatever else runs)
		t.Fatalf("processes in the labs' ID ranges %v: %v, want both inits and the sleep", ranges, before)
	}

	srv.cmd.Process.Signal(syscall.SIGTERM)
	if err := srv.cmd.Wait(); err != nil {
		t.Errorf("nslab serve after SIGTERM: %v, want exit status 0", err)
	}
	log := <-srv.logged
	if want := fmt.Sprintf(`msg="lab spawned" lab=\S+ init_pid=%d `, warmInit); !regexp.MustCompile(want).MatchString(log) {
		t.Errorf("the lab handed out is not the warm one (init %d); log:\n%s", warmInit, log)
	}
	// A slot freed now may be taken at once by another server on the
	// machine: only what existed before the shutdown is ours.
	after := map[int]bool{}
	for _, pid := range processesInRanges(ranges) {
		after[pid] = true
	}
	for _, pid := range before {
		if after[pid] {
			t.Errorf("process %d of a lab (ID ranges from %v) outlived the server", pid, ranges)
		}
	}
	for _, c := range cgroups {
		var st syscall.Stat_t
		if err := syscall.Stat(c.path, &st); err == nil && st.Ino == c.ino {
			t.Errorf("cgroup %s of a lab outlived the server", c.path)
		}
	}
}

func TestServeRefusesBadLabLimits(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--lab-memory", "lots"}, "--lab-memory"},
		{[]string{"--lab-memory", "0"}, "--lab-memory"},
		{[]string{"--lab-cpu", "0"}, "--lab-cpu"},
		{[]string{"--lab-cpu", "NaN"}, "--lab-cpu"},
		{[]string{"--lab-pids", "-1"}, "--lab-pids"},
		{[]string{"--lab-tmpfs", "200M"}, "at most half"},
		{[]string{"--lab-memory", "64M", "--lab-tmpfs", "33M"}, "at most half"},
		{[]string{"--lab-pids", "3"}, "pids 3"}, // the engine's own minimum
		{[]string{"--lab-disk-rate", "fast"}, "--lab-disk-rate"},
		{[]string{"--lab-disk-iops", "0"}, "--lab-disk-iops"},
		{[]string{"--lab-disk-rate", "1000"}, "disk rate 1000"}, // the engine's own minimum
		{[]string{"--warm", "-1"}, "--warm"},
	} {
		cmd := exec.Command(nslabBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)...)
		out, _ := cmd.CombinedOutput()
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), tc.want) {
			t.Errorf("nslab serve %q: exit %v, output:\n%s\nwant exit status 2 and a message with %q", tc.args, cmd.ProcessState, out, tc.want)
		}
	}
}

// labInits lists the lab inits of process server (each a child named
// init of a child named nslab-anchor).
func labInits(server int) []int {
	// Each init is the child of its lab's anchor, the server's child.
	anchors := map[string]bool{}
	for _, a := range childrenNamed(server, "nslab-anchor") {
		anchors[strconv.Itoa(a)] = true
	}
	var out []int
	for pid, st := range processStats() {
		if st.comm == "init" && anchors[st.ppid] {
			out = append(out, pid)
		}
	}
	return out
}

// childrenNamed lists the children of parent whose command name is comm.
func childrenNamed(parent int, comm string) []int {
	var out []int
	for pid, st := range processStats() {
		if st.comm == comm && st.ppid == strconv.Itoa(parent) {
			out = append(out, pid)
		}
	}
	return out
}

type procStat struct{ comm, ppid string }

// processStats reads the command name and parent of every process.
func processStats() map[int]procStat {
	out := map[int]procStat{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces, so read after ")".
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		j := strings.IndexByte(s, '(')
		f := strings.Fields(s[i+1:])
		if i < 0 || j < 0 || j > i || len(f) < 2 {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(d))
		out[pid] = procStat{comm: s[j+1 : i], ppid: f[1]}
	}
	return out
}

// processUID is the real uid of pid as the machine sees it.
func processUID(pid int) (uint64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "Uid:" {
			uid, err := strconv.ParseUint(f[1], 10, 64)
			return uid, err == nil
		}
	}
	return 0, false
}

// processesInRanges lists the processes whose uid is in one of the lab ID
// ranges starting at bases.
func processesInRanges(bases []uint64) []int {
	var out []int
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		uid, ok := processUID(pid)
		if !ok {
			continue
		}
		for _, b := range bases {
			if uid >= b && uid < b+nsstate.LabIDCount {
				out = append(out, pid)
			}
		}
	}
	return out
}

// labCgroupDirs lists the folders of pid's lab cgroups (v1 or v2), found
// through the mounts of their hierarchies.
func labCgroupDirs(t *testing.T, pid int) []string {
	t.Helper()
	cg, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", pid))
	if err != nil {
		t.Fatal(err)
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for line := range strings.Lines(string(cg)) {
		f := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(f) != 3 || !strings.Contains(f[2], "/lab-") {
			continue
		}
		for ml := range strings.Lines(string(mounts)) {
			// ID parent major:minor root mountpoint options - fstype source superoptions
			m := strings.Fields(ml)
			sep := slices.Index(m, "-")
			if sep < 0 || len(m) < sep+4 {
				continue
			}
			v1 := m[sep+1] == "cgroup" && f[1] != "" && slices.Contains(strings.Split(m[sep+3], ","), f[1])
			v2 := m[sep+1] == "cgroup2" && f[1] == ""
			if !v1 && !v2 {
				continue
			}
			root, point := m[3], m[4]
			if rel, ok := strings.CutPrefix(f[2], root); ok {
				dirs = append(dirs, filepath.Join(point, rel))
				break
			}
		}
	}
	return dirs
}
