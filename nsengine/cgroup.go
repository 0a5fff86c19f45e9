//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Each lab gets a cgroup named lab-SLOT in a folder nslab (see
// cgroupFolder) under the server's own cgroup: in the unified (v2) hierarchy where the pids, memory,
// cpu and io controllers are available there, else in each of the four v1
// hierarchies. The limits are set before the lab's init does anything.

// labControllers are the controllers a lab is limited by, as cgroup v2
// names them (v1Controller gives v1's names).
var labControllers = []string{"pids", "memory", "cpu", "io"}

// v1Controller is the name cgroup v1 gives a controller of labControllers:
// v2's io is v1's blkio.
func v1Controller(c string) string {
	if c == "io" {
		return "blkio"
	}
	return c
}

// cgroupRoot says where the engine's lab cgroups go.
type cgroupRoot struct {
	v2 bool
	// parents holds the nslab folder of each hierarchy: one for v2, one per
	// controller of labControllers (in that order) for v1, then the
	// unified hierarchy's if there is one (see addUnifiedHierarchy).
	parents []string
	// disks are the block devices behind the labs' read-only binds, on
	// which each lab's disk I/O is limited (see diskio.go).
	disks []blockDevice
}

// detectCgroups finds the server's own cgroups and chooses v2 or v1. The
// labs' cgroups go in a folder of the given name under them.
func detectCgroups(folder string) (*cgroupRoot, error) {
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("cgroups: %w", err)
	}
	self, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, fmt.Errorf("cgroups: %w", err)
	}
	return chooseCgroups(mountinfo, self, folder)
}

// chooseCgroups decides from a mountinfo and a /proc/PID/cgroup: v2 where
// the unified hierarchy offers pids, memory, cpu and io at the server's
// cgroup, else the four v1 hierarchies.
func chooseCgroups(mountinfo, self []byte, folder string) (*cgroupRoot, error) {
	mounts := cgroupMounts(mountinfo)
	own := ownCgroups(self)
	if m, ok := mounts["cgroup2"]; ok {
		if p, ok := own[""]; ok {
			dir := m.dir(p)
			if hasControllers(filepath.Join(dir, "cgroup.controllers"), labControllers) {
				return &cgroupRoot{v2: true, parents: []string{filepath.Join(dir, folder)}}, nil
			}
		}
	}
	r := &cgroupRoot{}
	var missing []string
	for _, c := range labControllers {
		v1 := v1Controller(c)
		m, ok1 := mounts[v1]
		p, ok2 := own[v1]
		if !ok1 || !ok2 {
			if v1 != c {
				c += " (v1: " + v1 + ")"
			}
			missing = append(missing, c)
			continue
		}
		r.parents = append(r.parents, filepath.Join(m.dir(p), folder))
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("cgroups: controllers %s are neither in the unified hierarchy nor mounted as cgroup v1", strings.Join(missing, ", "))
	}
	addUnifiedHierarchy(r, mounts, own, folder)
	return r, nil
}

// addUnifiedHierarchy gives v1 labs a cgroup of their own in the unified
// hierarchy too, where a v1/v2 hybrid mounts one (without controllers), as
// the last of r.parents. It stops a lab's `mount -t cgroup2` from showing
// the cgroup the server sits in there (often the machine's root cgroup):
// the lab's cgroup namespace is rooted at the lab's cgroup in every
// hierarchy init is in, so without one of its own in the unified
// hierarchy the lab would see the machine's processes (as PID 0) and its
// CPU, memory and I/O pressure there.
func addUnifiedHierarchy(r *cgroupRoot, mounts map[string]cgroupMount, own map[string]string, folder string) {
	m, ok := mounts["cgroup2"]
	if !ok {
		return
	}
	if p, ok := own[""]; ok {
		r.parents = append(r.parents, filepath.Join(m.dir(p), folder))
	}
}

// cgroupMount is where a hierarchy is mounted and which cgroup is its root.
type cgroupMount struct{ point, root string }

// dir turns a cgroup path from /proc/self/cgroup into a folder.
func (m cgroupMount) dir(path string) string {
	rel, err := filepath.Rel(m.root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = "."
	}
	return filepath.Join(m.point, rel)
}

// cgroupMounts maps each v1 controller, and "cgroup2", to its mount, from
// the text of /proc/PID/mountinfo.
func cgroupMounts(mountinfo []byte) map[string]cgroupMount {
	out := map[string]cgroupMount{}
	for _, line := range strings.Split(string(mountinfo), "\n") {
		a, b, ok := mountinfoFields(line)
		if !ok {
			continue
		}
		m := cgroupMount{point: unescapeMountinfo(a[4]), root: unescapeMountinfo(a[3])}
		switch b[0] {
		case "cgroup2":
			if _, dup := out["cgroup2"]; !dup {
				out["cgroup2"] = m
			}
		case "cgroup":
			for _, o := range strings.Split(b[2], ",") {
				if _, dup := out[o]; !dup {
					out[o] = m
				}
			}
		}
	}
	return out
}

// mountinfoFields splits a line of /proc/PID/mountinfo, "ID PARENT
// MAJ:MIN ROOT POINT OPTS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTS", into the
// fields before the separator (at least five) and after it (three).
func mountinfoFields(line string) (pre, post []string, ok bool) {
	before, after, ok := strings.Cut(line, " - ")
	if !ok {
		return nil, nil, false
	}
	pre, post = strings.Fields(before), strings.Fields(after)
	if len(pre) < 5 || len(post) < 3 {
		return nil, nil, false
	}
	return pre, post, true
}

// unescapeMountinfo undoes the octal escapes (\040 for a space) of
// /proc/PID/mountinfo.
func unescapeMountinfo(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ownCgroups maps each v1 controller, and "" for v2, to the cgroup path
// in the text of /proc/PID/cgroup.
func ownCgroups(self []byte) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(self)), "\n") {
		// ID:CONTROLLERS:PATH
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[1] == "" {
			out[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			out[c] = parts[2]
		}
	}
	return out
}

func hasControllers(file string, want []string) bool {
	b, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	have := strings.Fields(string(b))
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// prepare makes the nslab folders and, for v2, hands the controllers down
// to them.
func (r *cgroupRoot) prepare() error {
	for _, p := range r.parents {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return fmt.Errorf("cgroups: %w", err)
		}
	}
	if r.v2 {
		if err := enableV2Controllers(filepath.Dir(r.parents[0])); err != nil {
			return err
		}
		if err := enableV2Controllers(r.parents[0]); err != nil {
			return err
		}
	}
	return nil
}

// enableV2Controllers turns on pids, memory, cpu and io for dir's children. The
// kernel refuses while dir itself holds processes (cgroup v2 keeps
// processes in leaves only); the server's processes then move to a leaf
// nslab-server beside the labs' folder.
func enableV2Controllers(dir string) error {
	ctl := filepath.Join(dir, "cgroup.subtree_control")
	if hasControllers(ctl, labControllers) {
		return nil
	}
	val := "+" + strings.Join(labControllers, " +")
	err := os.WriteFile(ctl, []byte(val), 0)
	if errors.Is(err, unix.EBUSY) {
		leaf := filepath.Join(dir, "nslab-server")
		if err := os.MkdirAll(leaf, 0o755); err != nil {
			return fmt.Errorf("cgroups: %w", err)
		}
		pids, _ := readPIDs(filepath.Join(dir, "cgroup.procs"))
		for _, pid := range pids {
			os.WriteFile(filepath.Join(leaf, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0)
		}
		err = os.WriteFile(ctl, []byte(val), 0)
	}
	if err != nil {
		return fmt.Errorf("cgroups: enable %s in %s: %w (run the server in a cgroup delegated to it, e.g. systemd Delegate=yes)", val, dir, err)
	}
	return nil
}

// labCgroup is one lab's cgroup in each hierarchy.
type labCgroup struct {
	v2    bool
	dirs  []string
	disks []blockDevice
}

func (r *cgroupRoot) lab(slot int) *labCgroup {
	g := &labCgroup{v2: r.v2, disks: r.disks}
	for _, p := range r.parents {
		g.dirs = append(g.dirs, filepath.Join(p, "lab-"+strconv.Itoa(slot)))
	}
	return g
}

// create makes the lab's cgroup with its limits. A folder left by a crashed
// run for the same slot goes first.
func (g *labCgroup) create(lim Limits) error {
	if err := g.destroy(); err != nil {
		return err
	}
	for _, d := range g.dirs {
		err := os.Mkdir(d, 0o755)
		if errors.Is(err, os.ErrNotExist) {
			// Another engine removed the empty nslab folder meanwhile.
			if err = os.MkdirAll(filepath.Dir(d), 0o755); err == nil {
				err = os.Mkdir(d, 0o755)
			}
		}
		if err != nil {
			g.destroy()
			return fmt.Errorf("cgroups: %w", err)
		}
	}
	if err := g.limit(lim); err != nil {
		g.destroy()
		return err
	}
	if err := g.limitDiskIO(lim); err != nil {
		g.destroy()
		return err
	}
	return nil
}

func (g *labCgroup) limit(lim Limits) error {
	const period = 100_000 // µs
	quota := int64(lim.CPU * period)
	mem := strconv.FormatInt(lim.MemoryBytes, 10)
	type setting struct {
		dir, file, value string
		optional         bool
	}
	var set []setting
	if g.v2 {
		d := g.dirs[0]
		set = []setting{
			{d, "pids.max", strconv.Itoa(lim.Pids), false},
			{d, "memory.max", mem, false},
			// Swap would let a lab use more than its memory.
			{d, "memory.swap.max", "0", true},
			{d, "cpu.max", fmt.Sprintf("%d %d", quota, period), false},
		}
	} else {
		set = []setting{
			{g.dirs[0], "pids.max", strconv.Itoa(lim.Pids), false},
			{g.dirs[1], "memory.limit_in_bytes", mem, false},
			// memsw may only be set after (and not below) the memory limit.
			{g.dirs[1], "memory.memsw.limit_in_bytes", mem, true},
			// Socket buffers, which v1 charges nowhere else (see
			// labSocketMemory); it must be set before the lab has a socket.
			{g.dirs[1], "memory.kmem.tcp.limit_in_bytes", strconv.FormatInt(labSocketMemory(lim), 10), false},
			{g.dirs[2], "cpu.cfs_period_us", strconv.Itoa(period), false},
			{g.dirs[2], "cpu.cfs_quota_us", strconv.FormatInt(quota, 10), false},
		}
	}
	for _, s := range set {
		err := os.WriteFile(filepath.Join(s.dir, s.file), []byte(s.value), 0)
		if err != nil && !(s.optional && errors.Is(err, os.ErrNotExist)) {
			return fmt.Errorf("cgroups: set %s: %w", s.file, err)
		}
	}
	return nil
}

// add moves a process (all its threads) into the lab's cgroups.
func (g *labCgroup) add(pid int) error {
	for _, d := range g.dirs {
		if err := os.WriteFile(filepath.Join(d, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0); err != nil {
			return fmt.Errorf("cgroups: add %d to %s: %w", pid, d, err)
		}
	}
	return nil
}

// pids lists the real-machine PIDs of the lab's processes.
func (g *labCgroup) pids() ([]int, error) {
	return readPIDs(filepath.Join(g.dirs[0], "cgroup.procs"))
}

func readPIDs(file string) ([]int, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cgroups: %w", err)
	}
	var out []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			out = append(out, pid)
		}
	}
	return out, nil
}

// cgroupEmptyTimeout bounds the wait for killed processes to leave.
const cgroupEmptyTimeout = 10 * time.Second

// destroy kills whatever is still in the lab's cgroups and removes them.
// Folders that do not exist are fine: destroy is also the cleanup of a
// crashed run and of a half-made lab.
func (g *labCgroup) destroy() error {
	var errs []error
	for _, d := range g.dirs {
		if _, err := os.Stat(d); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := emptyCgroup(d, g.v2); err != nil {
			errs = append(errs, err)
			continue
		}
		deadline := time.Now().Add(cgroupEmptyTimeout)
		for {
			err := unix.Rmdir(d)
			if err == nil || errors.Is(err, unix.ENOENT) {
				break
			}
			if !errors.Is(err, unix.EBUSY) || time.Now().After(deadline) {
				errs = append(errs, fmt.Errorf("cgroups: remove %s: %w", d, err))
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	return errors.Join(errs...)
}

// emptyCgroup SIGKILLs every process in dir until none is left.
func emptyCgroup(dir string, v2 bool) error {
	if v2 {
		// cgroup.kill (Linux 5.14) kills atomically, forks in flight too.
		os.WriteFile(filepath.Join(dir, "cgroup.kill"), []byte("1"), 0)
	}
	deadline := time.Now().Add(cgroupEmptyTimeout)
	for {
		pids, err := readPIDs(filepath.Join(dir, "cgroup.procs"))
		if err != nil || len(pids) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cgroups: %s still holds %d processes", dir, len(pids))
		}
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(time.Millisecond)
	}
}

// leftoverSlots lists the slots that have a lab cgroup in any hierarchy.
func (r *cgroupRoot) leftoverSlots() []int {
	seen := map[int]bool{}
	var out []int
	for _, p := range r.parents {
		ents, _ := os.ReadDir(p)
		for _, e := range ents {
			n, ok := strings.CutPrefix(e.Name(), "lab-")
			if !ok || !e.IsDir() {
				continue
			}
			if s, err := strconv.Atoi(n); err == nil && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// removeParents removes the nslab folders if no lab is left in them.
func (r *cgroupRoot) removeParents() {
	for _, p := range r.parents {
		unix.Rmdir(p)
	}
}

// cgroupFolder names the folder of the labs' cgroups. Slots are numbered
// per state folder, so engines with another state folder get a folder of
// their own.
func cgroupFolder(stateDir string) string {
	if stateDir == DefaultStateDir {
		return "nslab"
	}
	h := fnv.New32a()
	h.Write([]byte(stateDir))
	return fmt.Sprintf("nslab-%08x", h.Sum32())
}
