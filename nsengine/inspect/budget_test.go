//go:build linux

package inspect

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nslab/nslab/nsstate"
)

// Each bound of the budget, set low, cuts a real lab's snapshot where it
// says, notes the cut, and leaves a consistent snapshot; the default
// budget cuts nothing of a lesson-sized lab.
func TestBudgetCutsEachBound(t *testing.T) {
	l := startLab(t, `mount -t tmpfs a /mnt; mount -t tmpfs b /mnt; mount -t tmpfs c /mnt
for i in 1 2 3 4 5; do ipcmk -Q >/dev/null; done
for i in 1 2 3; do ip link add v$i type veth peer name p$i; done
sh -c 'sleep 1000; true' `+strings.Repeat("x", 300)+` `+strings.Repeat("y ", 100)+` &
unshare -m sleep 1000 &
echo ready`)
	ready := func(s *nsstate.Snapshot) bool {
		n := 0
		for _, ns := range s.Namespaces {
			if ns.Type == nsstate.NSMnt {
				n++
			}
		}
		total := 0
		for _, ns := range s.Namespaces {
			total += len(ns.Interfaces)
		}
		return n == 2 && len(s.Processes) >= 4 && total == 7
	}
	whole := snapshotWhen(t, Options{InitPID: l.init}, ready)
	if whole.Truncated != nil {
		t.Fatalf("the default budget cut a small lab: %+v", whole.Truncated)
	}
	count := func(s *nsstate.Snapshot, f func(*nsstate.Namespace) int) (total, most int) {
		for i := range s.Namespaces {
			n := f(&s.Namespaces[i])
			total += n
			most = max(most, n)
		}
		return total, most
	}
	mounts := func(ns *nsstate.Namespace) int { return len(ns.Mounts) }
	ipc := func(ns *nsstate.Namespace) int { return len(ns.IPC) }
	ifs := func(ns *nsstate.Namespace) int { return len(ns.Interfaces) }
	longestArg := func(s *nsstate.Snapshot) int {
		n := 0
		for _, p := range s.Processes {
			for _, a := range p.Cmdline {
				n = max(n, len(a))
			}
		}
		return n
	}
	tests := []struct {
		name   string
		budget Budget
		note   string
		check  func(*nsstate.Snapshot) bool
	}{
		{"mounts per namespace", Budget{MountsPerNamespace: 3}, "mounts: at most 3 per mount namespace",
			func(s *nsstate.Snapshot) bool { _, most := count(s, mounts); return most == 3 }},
		{"mounts in all", Budget{Mounts: 5}, "mounts: at most 5 in all",
			func(s *nsstate.Snapshot) bool { total, _ := count(s, mounts); return total == 5 }},
		{"processes", Budget{Processes: 2}, "processes: at most 2",
			func(s *nsstate.Snapshot) bool { return len(s.Processes) == 2 && s.Process(1) != nil }},
		{"IPC objects", Budget{IPCObjects: 2}, "IPC objects: at most 2 per IPC namespace",
			func(s *nsstate.Snapshot) bool { total, _ := count(s, ipc); return total == 2 }},
		{"interfaces", Budget{Interfaces: 2}, "interfaces: at most 2 per network namespace",
			func(s *nsstate.Snapshot) bool { total, _ := count(s, ifs); return total == 2 }},
		{"strings", Budget{StringBytes: 64}, "strings: cut to 64 bytes",
			func(s *nsstate.Snapshot) bool { return longestArg(s) == 64 }},
		{"command lines", Budget{CmdlineBytes: 100}, "command lines: cut to 100 bytes of JSON",
			func(s *nsstate.Snapshot) bool { return longestArg(s) < 300 }},
		{"namespaces", Budget{Namespaces: 8}, "namespaces: the contents of at most 8 read",
			func(s *nsstate.Snapshot) bool {
				total, _ := count(s, mounts)
				return total > 0 && len(s.Namespaces) == len(whole.Namespaces)
			}},
		{"bytes read", Budget{ReadBytes: 2000}, "the snapshot read its 2000 bytes from procfs",
			func(s *nsstate.Snapshot) bool { return len(s.Processes) < len(whole.Processes) }},
		{"JSON", Budget{JSONBytes: 3000}, "the snapshot reached 3000 bytes of JSON",
			func(s *nsstate.Snapshot) bool {
				total, _ := count(s, mounts)
				all, _ := count(whole, mounts)
				return total < all
			}},
	}
	for _, tt := range tests {
		s, err := Snapshot(Options{InitPID: l.init, Budget: tt.budget})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("%s: the cut snapshot is not consistent: %v", tt.name, err)
		}
		if s.Truncated == nil || !strings.Contains(strings.Join(s.Truncated.Cut, "\n"), tt.note) {
			t.Errorf("%s: truncated %+v, want a line with %q", tt.name, s.Truncated, tt.note)
		}
		if !tt.check(s) {
			b, _ := json.Marshal(s)
			t.Errorf("%s: not cut as the bound says:\n%s", tt.name, b)
		}
	}
}

// jsonLen is never less than what encoding/json writes, and clip cuts on
// a character boundary.
func FuzzJSONLen(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x00b\nc\"d\\e", "<&>", "\xff\xfe", "é€😀", "\u2028\u2029"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if jsonLen(s) < len(b) {
			t.Errorf("jsonLen(%q) = %d, json.Marshal writes %d bytes", s, jsonLen(s), len(b))
		}
		sp := newSpend(Budget{StringBytes: 5})
		c := sp.clip(s)
		if len(c) > 5 || !strings.HasPrefix(s, c) || (utf8.ValidString(s) && !utf8.ValidString(c)) {
			t.Errorf("clip(%q) = %q", s, c)
		}
	})
}
