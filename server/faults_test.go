//go:build linux

package server

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/nsengine"
)

// Faults: what happens when a client, the server or a lab dies at the
// worst moment, and what is left after many labs.

// procStart identifies a process beyond its PID, which the kernel reuses:
// its start time in clock ticks since boot, "" if it is gone (or a
// zombie).
func procStart(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 20 || f[0] == "Z" || f[0] == "X" {
		return ""
	}
	return f[19]
}

// procParent is pid's parent, -1 if it is gone.
func procParent(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 2 {
		return -1
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// descendants lists every living process below pid.
func descendants(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	kids := map[int][]int{}
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp := procParent(p); pp > 0 {
			kids[pp] = append(kids[pp], p)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, k := range kids[p] {
			if procStart(k) != "" {
				out = append(out, k)
				queue = append(queue, k)
			}
		}
	}
	return out
}

// pidsGone waits until none of the processes (pid → start time) lives.
func pidsGone(t *testing.T, what string, procs map[int]string) {
	t.Helper()
	waitFor(t, what, func() bool {
		for pid, start := range procs {
			if s := procStart(pid); s != "" && s == start {
				return false
			}
		}
		return true
	})
}

// labCgroupDirs lists the cgroup folders of a lab's init (those named
// lab-N, in every hierarchy).
func labCgroupDirs(t *testing.T, initPID int) []string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(initPID) + "/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	mi, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 || !strings.Contains(parts[2], "/lab-") {
			continue
		}
		ctrls := strings.Split(parts[1], ",")
		for _, m := range strings.Split(string(mi), "\n") {
			// ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS ... - FSTYPE SOURCE SUPEROPTS
			pre, post, ok := strings.Cut(m, " - ")
			if !ok {
				continue
			}
			f, g := strings.Fields(pre), strings.Fields(post)
			if len(f) < 5 || len(g) < 3 || f[3] != "/" {
				continue
			}
			match := g[0] == "cgroup2" && parts[1] == ""
			if g[0] == "cgroup" {
				for _, c := range ctrls {
					if c != "" && slices.Contains(strings.Split(g[2], ","), c) {
						match = true
					}
				}
			}
			if match {
				d := filepath.Join(f[4], parts[2])
				if _, err := os.Stat(d); err == nil && !slices.Contains(dirs, d) {
					dirs = append(dirs, d)
				}
			}
		}
	}
	if len(dirs) == 0 {
		t.Fatalf("lab init %d is in no lab cgroup: %s", initPID, b)
	}
	return dirs
}

// inode is a file's inode number, 0 if it does not exist.
func inode(path string) uint64 {
	var st unix.Stat_t
	if unix.Stat(path, &st) != nil {
		return 0
	}
	return st.Ino
}

// A browser that vanishes while `yes` floods its terminal: the server's
// memory for the lab stays bounded, the terminal stops being read, and
// the lab waits for the browser for the grace period. "rst": the
// connection is reset (no close frame); "silent": the client stops
// reading and answering, as when its network goes away, and the server's
// keepalive gives up on it.
func TestBrowserVanishesDuringAFlood(t *testing.T) {
	const grace = 3 * time.Second
	for _, how := range []string{"rst", "silent"} {
		t.Run(how, func(t *testing.T) {
			h := newHarness(t, Limits{Grace: grace}, func(c *Config) {
				c.keepalive = keepalive{ping: 200 * time.Millisecond, read: time.Second, write: time.Second}
			})
			lab := h.create()
			c := h.dial(lab)
			c.sendJSON(map[string]any{"type": "subscribe", "state": false})
			c.open(0, 24, 80)
			c.shellReady(0)
			c.typeIn(0, "yes nslab-flood\r")
			c.waitOutput(0, strings.Repeat("nslab-flood\r\n", 100))
			ss := h.session(lab.ID)
			yes := 0
			pids, _ := labPIDs(ss.lab)
			for _, p := range pids {
				if b, _ := os.ReadFile("/proc/" + strconv.Itoa(p) + "/comm"); strings.TrimSpace(string(b)) == "yes" {
					yes = p
				}
			}
			if yes == 0 {
				t.Fatalf("no yes among the lab's processes %v", pids)
			}

			switch how {
			case "rst":
				tcp := c.ws.NetConn().(*net.TCPConn)
				tcp.SetLinger(0)
				tcp.Close()
			case "silent":
				// The client's reader blocks on its lock: it reads,
				// acknowledges and answers pings no more.
				c.mu.Lock()
				defer c.mu.Unlock()
			}
			waitFor(t, "the server drops the vanished connection", func() bool { return h.srv.Stats().Conns == 0 })

			// Bounded: what was ever queued or unacknowledged, and the heap
			// does not grow while yes goes on wanting to write.
			st := h.srv.Stats()
			if st.PeakUnacked > highWater+readChunk {
				t.Errorf("a terminal had %d bytes unacknowledged, over the bound %d", st.PeakUnacked, highWater+readChunk)
			}
			if qb := int64(highWater + 2*readChunk + 4<<10); st.PeakQueued > qb {
				t.Errorf("the connection had %d bytes queued, over the bound %d", st.PeakQueued, qb)
			}
			if st.Queued != 0 {
				t.Errorf("%d bytes still queued for a connection that is gone", st.Queued)
			}
			// The PTY's reader stops: yes soon blocks on a full PTY (the
			// pump may finish one read it had begun).
			waitFor(t, "yes stops writing: nobody reads its terminal", func() bool {
				w := wchar(t, yes)
				time.Sleep(100 * time.Millisecond)
				return wchar(t, yes) == w
			})
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			w0 := wchar(t, yes)
			time.Sleep(300 * time.Millisecond)
			w1 := wchar(t, yes)
			runtime.GC()
			runtime.ReadMemStats(&m1)
			if w1 != w0 {
				t.Errorf("yes wrote %d bytes while nobody watched its terminal: the PTY is still read", w1-w0)
			}
			if grew := int64(m1.HeapAlloc) - int64(m0.HeapAlloc); grew > 1<<20 {
				t.Errorf("the heap grew by %d bytes while the flood had no reader", grew)
			}

			if how == "silent" {
				h.do(http.DefaultClient, "DELETE", "/api/labs/"+lab.ID, lab.Token, "")
				return
			}
			// The lab waits: a new connection gets the terminal back with
			// its recent output, and Ctrl-C ends the flood.
			if h.session(lab.ID) == nil {
				t.Fatal("the lab ended with its connection, before the grace period")
			}
			c2 := h.dial(lab)
			c2.sendJSON(map[string]any{"type": "subscribe", "state": false})
			c2.open(0, 24, 80)
			c2.waitOutput(0, "nslab-flood")
			c2.typeIn(0, "\x03")
			c2.typeIn(0, "\r")
			c2.waitOutput(0, prompt)
			c2.run(0, "echo ok-$((40+2))", "ok-42\r\n")
			procs := map[int]string{}
			pids, _ = labPIDs(ss.lab)
			for _, p := range pids {
				procs[p] = procStart(p)
			}
			c2.ws.Close()
			waitFor(t, "the second connection is gone", func() bool { return h.srv.Stats().Conns == 0 })
			ss.mu.Lock()
			left := ss.lastUsed
			ss.mu.Unlock()
			waitFor(t, "the lab ends after the grace period", func() bool { return h.session(lab.ID) == nil })
			if d := time.Since(left); d < grace {
				t.Errorf("the lab ended %s after its last connection left, before the grace period %s", d, grace)
			}
			pidsGone(t, "the lab's processes end with it", procs)
		})
	}
}

// wchar is how many bytes process pid has written in its life.
func wchar(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/io")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "wchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	t.Fatalf("no wchar in /proc/%d/io", pid)
	return 0
}

// A lab's init killed from outside (the OOM killer, an operator): the
// page hears "ended", the lab's processes are gone, and another lab is
// unharmed.
func TestLabInitKilledFromOutside(t *testing.T) {
	h := newHarness(t, Limits{})
	other := h.create()
	lab := h.create()
	c := h.dial(lab)
	c.open(0, 24, 80)
	c.shellReady(0)
	c.run(0, "sleep 1000 & echo bg-$((1+1))", "bg-2")
	ss := h.session(lab.ID)
	pids, _ := labPIDs(ss.lab)
	procs := map[int]string{}
	for _, p := range pids {
		procs[p] = procStart(p)
	}
	if err := syscall.Kill(ss.lab.(liveLab).l.InitPID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	m := c.expect("ended")
	if r, _ := m["reason"].(string); !strings.Contains(r, "stopped") {
		t.Errorf("ended %v, want a reason that says the lab stopped", m)
	}
	c.waitClosed()
	pidsGone(t, "the shell and the background sleep end with init", procs)
	if resp, body := h.do(http.DefaultClient, "GET", "/api/labs/"+lab.ID+"/state", lab.Token, ""); resp.StatusCode != 404 {
		t.Errorf("state of the dead lab: %s %s, want 404", resp.Status, body)
	}
	if res, status, body := h.execIn(other, "echo ok"); status != 200 || res.Stdout != "ok\n" {
		t.Errorf("the other lab: %d %s", status, body)
	}
	if n := h.eng.Count(); n != 1 {
		t.Errorf("the engine holds %d labs, want the other one only", n)
	}
}

// TestServerKilledWithSIGKILL runs the real binary: `nslab serve` with
// labs (a shell on a PTY, background processes, and its warm labs) is
// killed with SIGKILL. Every lab process ends with it (a lab's init exits when its control
// socket closes), and the server started again begins clean: no lab
// cgroup or slot lock of the killed one is left.
func TestServerKilledWithSIGKILL(t *testing.T) {
	testenv.RequireRoot(t)
	if err := nsengine.Probe(); err != nil {
		testenv.Missing(t, "live labs", err.Error())
	}
	goTool := testenv.RequireCommand(t, "go", "golang")
	bin := filepath.Join(t.TempDir(), "nslab")
	build := exec.Command(goTool, "build", "-o", bin, "github.com/nslab/nslab/cmd/nslab")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// A state folder and ID pool of its own: other tests of the machine
	// (other packages run at the same time) would otherwise take the
	// killed server's freed slots before the check below.
	own := []string{"--state-dir", t.TempDir(), "--id-base", strconv.Itoa(nsengine.DefaultIDPoolBase + (nsengine.DefaultMaxLabs+128)*65536)}
	srv := startServe(t, bin, own...)
	var labs []created
	for i := 0; i < 3; i++ {
		l := srv.create(t)
		labs = append(labs, l)
		srv.h.execIn(l, "sleep 1000 & sleep 1001 & echo started")
	}
	c := srv.h.dial(labs[0])
	c.open(0, 24, 80)
	c.shellReady(0)

	// Every process of the labs, their cgroups and their slot locks.
	procs := map[int]string{}
	var cgroups []string
	cgIno := map[string]uint64{}
	for _, p := range descendants(srv.cmd.Process.Pid) {
		procs[p] = procStart(p)
		// A lab's init is a child of the lab's anchor, a child of the
		// server that stays in the server's cgroups (see labanchor.go).
		if pp := procParent(p); pp != srv.cmd.Process.Pid && procParent(pp) == srv.cmd.Process.Pid {
			for _, d := range labCgroupDirs(t, p) {
				cgroups = append(cgroups, d)
				cgIno[d] = inode(d)
			}
		}
	}
	if len(procs) < 3*3+1 || len(cgroups) < 3 {
		t.Fatalf("the server's labs have processes %v and cgroups %v; want 3 inits with 2 sleeps each, and a shell", procs, cgroups)
	}
	locks := map[string]uint64{}
	for _, slot := range srv.slots() {
		p := filepath.Join(own[1], "slots", strconv.Itoa(slot)+".lock")
		locks[p] = inode(p)
	}
	if len(locks) != 3 {
		t.Fatalf("slots of the labs from the server's log: %v, want 3", locks)
	}

	// The engine's mounts on the machine's side (its locked read-only
	// binds, in a folder named for its PID).
	var engineMounts []string
	for m := range mountPoints(t) {
		if strings.HasPrefix(m, "/run/nslab-binds/"+strconv.Itoa(srv.cmd.Process.Pid)+"-") {
			engineMounts = append(engineMounts, m)
		}
	}
	srv.cmd.Process.Signal(syscall.SIGKILL)
	srv.cmd.Wait()
	pidsGone(t, "every lab process ends with the killed server", procs)

	// The killed server had warm labs too (the default); the new one
	// keeps none, or its own warm labs would take the freed slots back
	// at once and the check below could not tell them from leftovers.
	again := startServe(t, bin, append(own, "--warm", "0")...)
	now := mountPoints(t)
	for _, m := range engineMounts {
		if now[m] {
			t.Errorf("the killed server's mount %s is still there after a restart", m)
		}
	}
	t.Logf("the killed server had %d mounts of its own; the restarted one removed them", len(engineMounts))
	for _, d := range cgroups {
		// Gone, or made anew for another lab (another server on this
		// machine may have taken the slot).
		if ino := inode(d); ino != 0 && ino == cgIno[d] {
			t.Errorf("the killed server's cgroup %s is still there after a restart", d)
		}
	}
	for p, ino := range locks {
		if now := inode(p); now != 0 && now == ino {
			f, err := os.Open(p)
			if err == nil {
				if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil {
					t.Errorf("the killed server's slot lock %s is left behind (free, but not removed)", p)
				} else {
					t.Errorf("the killed server's slot lock %s is still held", p)
				}
				f.Close()
			}
		}
	}
	// And the new server works.
	l := again.create(t)
	if res, status, body := again.h.execIn(l, "echo ok"); status != 200 || res.Stdout != "ok\n" {
		t.Errorf("exec on the restarted server: %d %s", status, body)
	}
	again.cmd.Process.Signal(syscall.SIGTERM)
	if err := again.cmd.Wait(); err != nil {
		t.Errorf("the restarted server exited with %v on SIGTERM", err)
	}
}

// served is an `nslab serve` process.
type served struct {
	h   *harness // for its HTTP and websocket helpers; no Server in it
	cmd *exec.Cmd

	log chan string
	all []string
}

// startServe runs bin serve on a free loopback port and waits until it
// listens.
func startServe(t *testing.T, bin string, args ...string) *served {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--max-labs-per-client", "-1", "--creates-per-minute", "-1"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, log: make(chan string, 1024)}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			select {
			case s.log <- sc.Text():
			default:
			}
		}
		close(s.log)
	}()
	timeout := time.After(waitLimit)
	for s.h == nil {
		select {
		case line, ok := <-s.log:
			if !ok {
				t.Fatalf("nslab serve ended before serving:\n%s", strings.Join(s.all, "\n"))
			}
			s.all = append(s.all, line)
			if strings.Contains(line, "msg=serving") {
				_, u, _ := strings.Cut(line, "url=")
				u, _, _ = strings.Cut(u, " ")
				s.h = &harness{t: t, url: u}
			}
		case <-timeout:
			t.Fatalf("nslab serve did not say it serves within %s:\n%s", waitLimit, strings.Join(s.all, "\n"))
		}
	}
	return s
}

func (s *served) create(t *testing.T) created {
	t.Helper()
	return s.h.create()
}

// slots reads the engine slots of the labs created so far from the
// server's log (engine_lab=labN-…).
func (s *served) slots() []int {
	for {
		select {
		case line, ok := <-s.log:
			if ok {
				s.all = append(s.all, line)
				continue
			}
		default:
		}
		break
	}
	var out []int
	for _, line := range s.all {
		if !strings.Contains(line, `msg="lab created"`) {
			continue
		}
		_, v, ok := strings.Cut(line, "engine_lab=lab")
		if !ok {
			continue
		}
		v, _, _ = strings.Cut(v, "-")
		if n, err := strconv.Atoi(v); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// isolatedEngine is an engine configuration no other engine on the
// machine shares (its own state folder, cgroup folder and ID range), so
// that what it leaves behind can be told from other labs'.
func isolatedEngine(t *testing.T) nsengine.Config {
	return nsengine.Config{
		StateDir: t.TempDir(),
		// Far above the default pool and the engine tests' own.
		IDPoolBase: nsengine.DefaultIDPoolBase + (nsengine.DefaultMaxLabs+64)*65536,
		MaxLabs:    8,
	}
}

// thousandLabs is how many labs TestThousandLabsLeaveNothing makes.
const thousandLabs = 1000

// A thousand labs created and deleted one after another through the API
// leave nothing behind: no process, mount, cgroup, slot lock, temporary
// folder, file descriptor or goroutine, in the server's process or on
// the machine.
func TestThousandLabsLeaveNothing(t *testing.T) {
	// Temporary files of the server and the engine go to a folder of
	// the test's own: other programs on the machine use the usual one.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ec := isolatedEngine(t)
	// Two lines of log per lab would drown a failure's message.
	h := newHarnessEngine(t, ec, Limits{}, nil, func(c *Config) { c.Logger = testLoggerAt(t, slog.LevelWarn) })
	// The first lab starts the engine's long-lived parts; count after it.
	first := h.create()
	init0 := h.session(first.ID).lab.(liveLab).l.InitPID()
	cgParents := map[string]bool{}
	for _, d := range labCgroupDirs(t, init0) {
		cgParents[filepath.Dir(d)] = true
	}
	h.do(http.DefaultClient, "DELETE", "/api/labs/"+first.ID, first.Token, "")

	b := takeBaseline()
	mounts0 := mountPoints(t)
	children0 := descendants(os.Getpid())

	inits := map[int]string{}
	start := time.Now()
	for i := 0; i < thousandLabs; i++ {
		l := h.create()
		pid := h.session(l.ID).lab.(liveLab).l.InitPID()
		inits[pid] = procStart(pid)
		if i%100 == 0 {
			// Now and then the lab is used, so it is a real one.
			if res, status, body := h.execIn(l, "sleep 100 & echo lab-$((i=6*7))"); status != 200 || res.Stdout != "lab-42\n" {
				t.Fatalf("lab %d: exec: %d %s", i, status, body)
			}
		}
		if resp, body := h.do(http.DefaultClient, "DELETE", "/api/labs/"+l.ID, l.Token, ""); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("lab %d: DELETE: %s %s", i, resp.Status, body)
		}
	}
	t.Logf("%d labs created and deleted in %s", thousandLabs, time.Since(start).Round(time.Millisecond))

	if n := h.eng.Count(); n != 0 {
		t.Errorf("the engine holds %d labs", n)
	}
	if st := h.srv.Stats(); st.Labs != 0 || st.Conns != 0 {
		t.Errorf("the server holds %d labs, %d connections", st.Labs, st.Conns)
	}
	pidsGone(t, "every lab's init is gone", inits)
	if now := descendants(os.Getpid()); len(now) > len(children0) {
		t.Errorf("processes below the server: %v, before the labs %v", now, children0)
	}
	for p := range cgParents {
		for _, name := range dirNames(p) {
			if strings.HasPrefix(name, "lab-") {
				t.Errorf("cgroup %s/%s left behind", p, name)
			}
		}
	}
	for _, name := range dirNames(filepath.Join(ec.StateDir, "slots")) {
		t.Errorf("slot lock %s left behind", name)
	}
	for m := range mountPoints(t) {
		if !mounts0[m] && !otherEngines(m) {
			t.Errorf("mount %s appeared", m)
		}
	}
	for _, name := range dirNames(tmp) {
		t.Errorf("temporary %s left behind", filepath.Join(tmp, name))
	}
	h.unharmed(b)
}

func dirNames(dir string) []string {
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// otherEngines reports whether mount point m belongs to another
// process's engine: engines in other programs on the machine (other
// tests, servers) make and remove their read-only binds in folders
// /run/nslab-binds/PID-RANDOM meanwhile.
func otherEngines(m string) bool {
	rest, ok := strings.CutPrefix(m, "/run/nslab-binds/")
	if !ok {
		return false
	}
	pid, _, _ := strings.Cut(rest, "-")
	return pid != strconv.Itoa(os.Getpid())
}

// mountPoints is the set of this process's mount points.
func mountPoints(t *testing.T) map[string]bool {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 4 {
			out[f[4]] = true
		}
	}
	return out
}
