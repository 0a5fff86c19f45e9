package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/nsstate"
)

// The differential fidelity suites: every scenario script of a suite
// runs in a live lab (`nslab run -- sh -c SCRIPT`) and in a simulated one
// (`nslab sim -- sh -c SCRIPT`); the two transcripts (standard output and
// standard error on one stream, then the exit status), normalised, must be
// identical. A suite is a folder of scripts with a floor file of its own
// (fidelitySuites); each is a subtest of TestFidelity and prints its own
// pass rate.
//
// Normalisation, separately in each transcript, replaces namespace inode
// numbers (4026531xxx, 4026532xxx) by NS1, NS2 … and the lab host's PIDs
// that a scenario marks with "@" (echo @$$) by @P1, @P2 …, each in order
// of first appearance, and nothing else. The kernel hands out inode
// numbers machine-wide, and the live engine's helper processes take lab
// host PIDs, so only their pattern of sameness can match. Unmarked numbers
// stay: PIDs inside a PID namespace a scenario creates do not depend on
// the machine.
//
// Nothing else is normalised, so a scenario prints nothing that depends
// on the machine's load or clock, which the simulator does not follow:
// CPU shares (ps's C and %CPU, cut out), start times and dates, a process
// just started (until it has exec'd it is a copy of its shell: scenarios
// give it half a second before ps, lsns or nsenter look at it), and PIDs
// that two processes forking at once race for.
//
// A suite's floor file is a ratchet: its first line is the least number
// of identical scenarios, the other lines the scenarios that must stay
// identical. The suite fails below the floor or when a listed scenario
// differs. go test -run '^TestFidelity$/SUITE$' -update-floor rewrites the
// floor of each suite run from a run that keeps every promise. With
// -scenario REGEXP only the matching scenarios run, and the floors are
// neither checked nor rewritten.

// fidelityWorkers is how many scenarios run at once.
const fidelityWorkers = 2

var (
	updateFloor    = flag.Bool("update-floor", false, "rewrite the floor file of each fidelity suite run from this run")
	scenarioFilter = flag.String("scenario", "", "run only the fidelity scenarios whose name matches this regular expression (floors are then not checked)")
)

// A fidelitySuite is a folder of scenario scripts under testdata and the
// floor file that ratchets its pass rate.
type fidelitySuite struct {
	name  string // the subtest's name
	dir   string // folder of NAME.sh scripts, under testdata
	floor string // floor file, under testdata
}

// fidelitySuites are the suites TestFidelity runs: the project's own
// scenarios, written alongside the simulator; the examples of the
// namespace man pages and of LWN's "Namespaces in operation"; and the
// shell sessions of widely read tutorials (see testdata/README.md).
var fidelitySuites = []fidelitySuite{
	{name: "scenarios", dir: "scenarios", floor: "fidelity-floor"},
	{name: "manpages", dir: "manpages", floor: "manpages-floor"},
	{name: "tutorials", dir: "tutorials", floor: "tutorials-floor"},
}

var (
	inodeRE  = regexp.MustCompile(`\b40265[0-9]{5}\b`)
	markedRE = regexp.MustCompile(`@[0-9]+\b`)
)

// normalise applies the transcript normalisation described above.
func normalise(s string) string {
	return symbolise(symbolise(s, inodeRE, "NS"), markedRE, "@P")
}

// symbolise replaces each match of re by prefix and a number, the same
// match by the same symbol, in order of first appearance.
func symbolise(s string, re *regexp.Regexp, prefix string) string {
	seen := map[string]string{}
	return re.ReplaceAllStringFunc(s, func(m string) string {
		if sym, ok := seen[m]; ok {
			return sym
		}
		sym := prefix + strconv.Itoa(len(seen)+1)
		seen[m] = sym
		return sym
	})
}

// transcript runs one scenario with `nslab MODE` and returns its output
// followed by "exit=STATUS".
func transcript(t *testing.T, nslab, mode, script string) string {
	t.Helper()
	cmd := exec.Command(nslab, mode, "--", "sh", "-c", script)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	status := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		status = ee.ExitCode()
	case err != nil:
		t.Fatalf("nslab %s: %v", mode, err)
	}
	return out.String() + "exit=" + strconv.Itoa(status) + "\n"
}

// readFloor reads a suite's ratchet file.
func readFloor(t *testing.T, file string) (int, []string) {
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatalf("read fidelity floor: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	floor, err := strconv.Atoi(strings.TrimPrefix(lines[0], "floor "))
	if err != nil {
		t.Fatalf("fidelity floor %s: first line %q: want \"floor N\"", file, lines[0])
	}
	var names []string
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			names = append(names, l)
		}
	}
	return floor, names
}

func buildNslab(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nslab")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/nslab")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build nslab: %v\n%s", err, out)
	}
	return bin
}

func TestFidelity(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "go", "golang")
	var filter *regexp.Regexp
	if *scenarioFilter != "" {
		var err error
		if filter, err = regexp.Compile(*scenarioFilter); err != nil {
			t.Fatalf("-scenario: %v", err)
		}
		if *updateFloor {
			t.Fatal("-update-floor needs every scenario of a suite: drop -scenario")
		}
	}
	nslab := buildNslab(t)
	if out, err := exec.Command(nslab, "run", "--", "true").CombinedOutput(); err != nil {
		testenv.Missing(t, "a working live engine (nslab run -- true failed: "+strings.TrimSpace(string(out))+")", "run as root on Linux with user namespaces enabled")
	}
	for _, s := range fidelitySuites {
		t.Run(s.name, func(t *testing.T) { runFidelitySuite(t, nslab, s, filter) })
	}
}

// runFidelitySuite runs the scenarios of one suite (those matching filter,
// when there is one), prints its pass rate and holds it to its floor.
func runFidelitySuite(t *testing.T, nslab string, s fidelitySuite, filter *regexp.Regexp) {
	all, err := filepath.Glob(filepath.Join("testdata", s.dir, "*.sh"))
	if err != nil {
		t.Fatalf("suite %s: %v", s.name, err)
	}
	var files []string
	for _, f := range all {
		if filter == nil || filter.MatchString(strings.TrimSuffix(filepath.Base(f), ".sh")) {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	floor, promised := readFloor(t, s.floor)
	// Scenarios run a few at a time: each has labs of its own, and the
	// live labs spend most of their time waiting for the kernel.
	type result struct {
		name, log string
		identical bool
	}
	results := make([]result, len(files))
	sem := make(chan struct{}, fidelityWorkers)
	var wg sync.WaitGroup
	for i, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".sh")
		script, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = result{name: name}
			live := normalise(transcript(t, nslab, "run", string(script)))
			simulated := normalise(transcript(t, nslab, "sim", string(script)))
			if live == simulated {
				results[i].identical = true
				return
			}
			// A second live run tells a race of the real machine (a
			// minute turning between the two runs, a process scheduled
			// late) from a simulator bug: the scenario counts as identical
			// only when the live lab then agrees with the simulator, and
			// the flake is logged so that the scenario gets fixed.
			again := normalise(transcript(t, nslab, "run", string(script)))
			if again == simulated {
				results[i].log = fmt.Sprintf("scenario %s: the live lab gave two different transcripts; the second matches (fix the race in the scenario):\n--- first live run\n%s", name, live)
				results[i].identical = true
				return
			}
			results[i].log = fmt.Sprintf("scenario %s differs:\n--- live\n%s--- sim\n%s", name, again, simulated)
		}()
	}
	wg.Wait()
	identical := map[string]bool{}
	for _, r := range results {
		if r.log != "" {
			t.Log(r.log)
		}
		if r.identical {
			identical[r.name] = true
		}
	}
	if filter != nil {
		fmt.Printf("fidelity %s: %d/%d identical (scenarios matching %q; floor %d not checked)\n", s.name, len(identical), len(files), filter, floor)
		return
	}
	fmt.Printf("fidelity %s: %d/%d identical (floor %d)\n", s.name, len(identical), len(files), floor)
	for _, name := range promised {
		if !identical[name] {
			t.Errorf("scenario %s/%s was identical and is not any more (a simulator regression)", s.dir, name)
		}
	}
	if len(identical) < floor {
		t.Errorf("fidelity %s %d/%d is below the floor of %d", s.name, len(identical), len(files), floor)
	}
	if *updateFloor && !t.Failed() {
		var names []string
		for n := range identical {
			names = append(names, n)
		}
		sort.Strings(names)
		body := "floor " + strconv.Itoa(len(names)) + "\n" + strings.Join(names, "\n") + "\n"
		if len(names) == 0 {
			body = "floor 0\n"
		}
		if err := os.WriteFile(filepath.Join("testdata", s.floor), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNormalise(t *testing.T) {
	in := "user:[4026532184] pid:[4026531836] user:[4026532184] 4026532xyz 14026532184 @9 @12 @9 12 1"
	want := "user:[NS1] pid:[NS2] user:[NS1] 4026532xyz 14026532184 @P1 @P2 @P1 12 1"
	if got := normalise(in); got != want {
		t.Errorf("normalise(%q) = %q, want %q", in, got, want)
	}
}

// snapshotScripts leave processes behind for the state snapshot to show.
var snapshotScripts = []string{
	`unshare -Urpf --mount-proc sleep 100 & sleep 0.2`,
	`unshare -Uu sh -c 'hostname inner; sleep 100' & unshare -n sleep 100 & unshare -i sleep 100 & sleep 0.5`,
	`unshare -Urm sh -c 'mount -t tmpfs x /mnt; sleep 100' & unshare -CT sleep 100 & sleep 0.2`,
}

// comparableState reduces a snapshot to what live and simulated labs
// must agree on: namespace identities become symbols in the order of a
// walk over the processes, lab-host PIDs become their rank, and the
// machine's own numbers (mount and peer group IDs, device numbers, the
// lab's host ID range) are left out.
func comparableState(s *nsstate.Snapshot) string {
	sym := map[string]string{}
	name := func(id string) string {
		if id == "" {
			return ""
		}
		if v, ok := sym[id]; ok {
			return v
		}
		t, _, _ := nsstate.ParseNSID(id)
		v := string(t) + strconv.Itoa(len(sym)+1)
		sym[id] = v
		return v
	}
	rank := map[int]int{}
	for i, p := range s.Processes {
		rank[p.PID] = i + 1
	}
	var b strings.Builder
	for _, p := range s.Processes {
		fmt.Fprintf(&b, "proc %d ppid %d nspid-inner %v uid %d/%d gid %d/%d %s %q %s cgroup %s\n",
			rank[p.PID], rank[p.PPID], p.NSpid[1:], p.UID, p.NSUID, p.GID, p.NSGID, p.Comm, p.Cmdline, p.State, p.Cgroup)
		for _, t := range nsstate.Types {
			fmt.Fprintf(&b, "  %s=%s", t, name(p.NS[t]))
		}
		b.WriteString("\n")
	}
	nss := append([]nsstate.Namespace(nil), s.Namespaces...)
	sort.Slice(nss, func(i, j int) bool { return name(nss[i].ID) < name(nss[j].ID) })
	for _, n := range nss {
		fmt.Fprintf(&b, "ns %s parent %s owner %s", name(n.ID), name(n.Parent), name(n.Owner))
		if n.ID != s.Host[nsstate.NSUser] {
			fmt.Fprintf(&b, " uid_map %v gid_map %v", n.UIDMap, n.GIDMap)
		}
		fmt.Fprintf(&b, " setgroups %q host %q domain %q offsets %v", n.Setgroups, n.Hostname, n.Domainname, n.Offsets)
		for _, i := range n.Interfaces {
			fmt.Fprintf(&b, " if %s/%d up=%v %v", i.Name, i.Index, i.Up, i.Addrs)
		}
		for _, m := range n.Mounts {
			fmt.Fprintf(&b, " mount %s %s %s %s %s", m.Point, m.Root, m.FSType, m.Options, m.Source)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestSnapshotFidelity(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "go", "golang")
	nslab := buildNslab(t)
	dir := t.TempDir()
	for i, script := range snapshotScripts {
		var states [3]string
		// The live lab runs twice when the first state differs: background
		// jobs may not all be set up yet on a busy machine.
		for j, mode := range []string{"run", "sim", "run"} {
			if j == 2 && states[0] == states[1] {
				break
			}
			file := filepath.Join(dir, mode+strconv.Itoa(i)+strconv.Itoa(j)+".json")
			cmd := exec.Command(nslab, mode, "--state", file, "--", "sh", "-c", script)
			if out, err := cmd.CombinedOutput(); err != nil {
				if mode == "run" {
					testenv.Missing(t, "a working live engine ("+strings.TrimSpace(string(out))+")", "run as root on Linux with user namespaces enabled")
				}
				t.Fatalf("nslab %s: %v\n%s", mode, err, out)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var s nsstate.Snapshot
			if err := json.Unmarshal(data, &s); err != nil {
				t.Fatalf("%s state: %v", mode, err)
			}
			states[j] = comparableState(&s)
		}
		if states[0] != states[1] && states[2] != states[1] {
			t.Errorf("state after %q differs:\n--- live\n%s--- sim\n%s", script, states[2], states[1])
		}
	}
}
