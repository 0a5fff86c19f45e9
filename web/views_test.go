package web

import (
	"reflect"
	"testing"

	"github.com/nslab/nslab/nsstate"
)

func TestPickSet(t *testing.T) {
	s := testSnapshot()
	ctrKey, hostKey := nsstate.SetKey(ctrNS()), nsstate.SetKey(hostNS())
	onlyHost := testSnapshot()
	onlyHost.Processes = onlyHost.Processes[:3]
	tests := []struct {
		name        string
		s           *nsstate.Snapshot
		selected    string
		wantKey     string
		wantMissing bool
	}{
		{"default is the newest container", s, "", ctrKey, false},
		{"the lab host on purpose", s, hostKey, hostKey, false},
		{"a container by key", s, ctrKey, ctrKey, false},
		{"a set that is gone", s, "no such set", ctrKey, true},
		{"nothing unshared yet", onlyHost, "", hostKey, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm := buildViews(tt.s, tt.selected)
			if vm.Container.Key != tt.wantKey || vm.Missing != tt.wantMissing {
				t.Errorf("container %q missing %v, want %q missing %v", vm.Container.Key, vm.Missing, tt.wantKey, tt.wantMissing)
			}
			if got := vm.ContainerIsHost; got != (tt.wantKey == hostKey) {
				t.Errorf("ContainerIsHost = %v", got)
			}
		})
	}
}

func TestPIDRows(t *testing.T) {
	vm := buildViews(testSnapshot(), "")
	type row struct {
		host, ctr int
		visible   bool
		depth     int
		inCtr     bool
	}
	want := []row{
		{1, 0, false, 0, false},
		{10, 0, false, 1, false},
		{20, 0, false, 2, false},
		{21, 1, true, 3, true},
		{22, 2, true, 4, true},
		{30, 0, false, 1, false},
	}
	var got []row
	for _, r := range vm.PIDs {
		got = append(got, row{r.HostPID, r.ContainerPID, r.Visible, r.Depth, r.InContainer})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pid rows\n got %v\nwant %v", got, want)
	}
}

func TestUIDs(t *testing.T) {
	vm := buildViews(testSnapshot(), "")
	tests := []struct {
		pid           int
		host, ctr     uint32
		mappedInsider bool
	}{
		{1, 0, 0, true},
		{22, 0, 0, true},
		{30, 1000, nsstate.OverflowID, false}, // the middle map stops at 999
	}
	for _, tt := range tests {
		var found bool
		for _, r := range vm.Users.Rows {
			if r.HostPID != tt.pid {
				continue
			}
			found = true
			if r.HostUID != tt.host || r.ContainerUID != tt.ctr || r.Mapped != tt.mappedInsider {
				t.Errorf("pid %d: uid %d → %d mapped %v, want %d → %d mapped %v",
					tt.pid, r.HostUID, r.ContainerUID, r.Mapped, tt.host, tt.ctr, tt.mappedInsider)
			}
		}
		if !found {
			t.Errorf("pid %d has no uid row", tt.pid)
		}
	}
	var names, outside, uids []string
	for _, m := range vm.Users.Maps {
		names = append(names, m.Name)
		outside = append(outside, m.OutsideName)
		for _, r := range m.UID {
			uids = append(uids, r.Inside+" > "+r.Outside)
		}
	}
	wantNames := []string{"lab host", "(no process)", "container 1"}
	wantOutside := []string{"real machine", "lab host", "4026532010"}
	wantUIDs := []string{"0–65535 > 200000000–200065535", "0–999 > 0–999", "0–0 > 0–0"}
	if !reflect.DeepEqual(names, wantNames) || !reflect.DeepEqual(outside, wantOutside) || !reflect.DeepEqual(uids, wantUIDs) {
		t.Errorf("user chain %v outside %v maps %v\nwant %v %v %v", names, outside, uids, wantNames, wantOutside, wantUIDs)
	}
}

func TestMounts(t *testing.T) {
	vm := buildViews(testSnapshot(), "")
	only := func(rows []mountRow) []string {
		var out []string
		for _, r := range rows {
			if r.OnlyHere {
				out = append(out, r.Point)
			}
		}
		return out
	}
	if got := only(vm.Mounts.Host); got != nil {
		t.Errorf("host-only mounts %v, want none", got)
	}
	if got := only(vm.Mounts.Container); !reflect.DeepEqual(got, []string{"/mnt"}) {
		t.Errorf("container-only mounts %v, want [/mnt]", got)
	}
	if vm.Mounts.SameNS {
		t.Error("SameNS for a container with its own mount namespace")
	}
	if got := vm.Mounts.Host[1]; got.Access != "ro" || !reflect.DeepEqual(got.Propagation, []string{"shared:2"}) {
		t.Errorf("host /usr: access %s propagation %v, want ro [shared:2]", got.Access, got.Propagation)
	}
	if got := vm.Mounts.Container[1].Propagation; !reflect.DeepEqual(got, []string{"private"}) {
		t.Errorf("container /usr propagation %v, want [private]", got)
	}
}

func TestStackedMountsCountOneForOne(t *testing.T) {
	m := nsstate.Mount{Point: "/mnt", FSType: "tmpfs", Source: "tmpfs", Root: "/"}
	rows := mountRows("container", []nsstate.Mount{m, m}, []nsstate.Mount{m})
	if rows[0].OnlyHere || !rows[1].OnlyHere {
		t.Errorf("two stacked tmpfs against one: only-here %v %v, want false true", rows[0].OnlyHere, rows[1].OnlyHere)
	}
}

func TestNamespaceMap(t *testing.T) {
	vm := buildViews(testSnapshot(), "")
	var labels []string
	for _, c := range vm.Map.Columns {
		labels = append(labels, c.Ref.Label)
	}
	if !reflect.DeepEqual(labels, []string{"lab host", "container 1"}) {
		t.Fatalf("columns %v", labels)
	}
	if !vm.Map.Columns[1].Selected || vm.Map.Columns[0].Selected {
		t.Error("the container column should be the selected one")
	}
	cells := map[nsstate.NSType]mapCell{}
	for _, r := range vm.Map.Rows {
		cells[r.Type] = r.Cells[1]
	}
	tests := []struct {
		t      nsstate.NSType
		shared bool
		note   string
	}{
		{nsstate.NSUser, false, "child of 4026532010"},
		{nsstate.NSPID, false, "child of lab host"},
		{nsstate.NSMnt, false, "owned by container 1"},
		{nsstate.NSNet, true, ""},
	}
	for _, tt := range tests {
		if c := cells[tt.t]; c.Shared != tt.shared || c.Note != tt.note {
			t.Errorf("%s: shared %v note %q, want %v %q", tt.t, c.Shared, c.Note, tt.shared, tt.note)
		}
	}
	var chains []int
	for _, c := range vm.Map.Chains {
		chains = append(chains, len(c.Links))
	}
	if !reflect.DeepEqual(chains, []int{2, 3}) {
		t.Errorf("pid and user chain lengths %v, want [2 3]", chains)
	}
	if len(vm.Map.Owners) != 3 { // pid, mnt, uts
		t.Errorf("owners %+v, want pid, mnt and uts", vm.Map.Owners)
	}
}

func TestCompact(t *testing.T) {
	vm := buildViews(testSnapshot(), "")
	got := map[nsstate.NSType]compactRow{}
	for _, r := range vm.Compact {
		got[r.Type] = r
	}
	if r := got[nsstate.NSUTS]; r.Host != "lab" || r.Container != "box" || r.Shared {
		t.Errorf("uts row %+v", r)
	}
	if r := got[nsstate.NSNet]; r.Host != "lo up" || !r.Shared {
		t.Errorf("net row %+v", r)
	}
	if r := got[nsstate.NSTime]; r.Container != "none" {
		t.Errorf("time row %+v", r)
	}
	zero, shifted := &nsstate.Namespace{Offsets: &nsstate.TimeOffsets{}}, &nsstate.Namespace{Offsets: &nsstate.TimeOffsets{Boottime: nsstate.Offset{Sec: 3600}}}
	if got := timeOffsets(zero); got != "none" {
		t.Errorf("zero offsets read %q, want none", got)
	}
	if got := timeOffsets(shifted); got != "monotonic +0 s, boottime +3600 s" {
		t.Errorf("shifted offsets read %q", got)
	}
}

func TestOffset(t *testing.T) {
	tests := []struct {
		o    nsstate.Offset
		want string
	}{
		{nsstate.Offset{}, "+0 s"},
		{nsstate.Offset{Sec: 86400}, "+86400 s"},
		{nsstate.Offset{Sec: -5}, "-5 s"},
		{nsstate.Offset{Sec: 1, Nsec: 500000000}, "+1.500000000 s"},
	}
	for _, tt := range tests {
		if got := offset(tt.o); got != tt.want {
			t.Errorf("offset(%+v) = %q, want %q", tt.o, got, tt.want)
		}
	}
}

func TestCommandLine(t *testing.T) {
	long := make([]string, 40)
	for i := range long {
		long[i] = "äb"
	}
	tests := []struct {
		p    nsstate.Process
		want string
	}{
		{nsstate.Process{Comm: "kworker"}, "[kworker]"},
		{nsstate.Process{Comm: "sleep", Cmdline: []string{"sleep", "1000"}}, "sleep 1000"},
		{nsstate.Process{Comm: "x", Cmdline: long}, string([]rune(stringsJoin(long))[:commandMaxLen-1]) + "…"},
	}
	for _, tt := range tests {
		if got := commandLine(&tt.p); got != tt.want {
			t.Errorf("commandLine(%v) = %q, want %q", tt.p.Cmdline, got, tt.want)
		}
	}
}

func stringsJoin(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// Bad input (a snapshot from outside) must draw, not crash: processes
// that name namespaces the snapshot lacks, a parent cycle, an empty set
// of processes.
func TestBadSnapshotsDraw(t *testing.T) {
	cyc := testSnapshot()
	cyc.Processes[0].PPID = 30 // 1 → 30 → 1
	dangling := testSnapshot()
	dangling.Processes[4].NS = map[nsstate.NSType]string{nsstate.NSPID: "pid:[1]"}
	empty := testSnapshot()
	empty.Processes = nil
	for name, s := range map[string]*nsstate.Snapshot{"cycle": cyc, "dangling": dangling, "empty": empty, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			vm := buildViews(s, "")
			if s != nil && len(vm.PIDs) != len(s.Processes) {
				t.Errorf("%d pid rows for %d processes", len(vm.PIDs), len(s.Processes))
			}
		})
	}
}
