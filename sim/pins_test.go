package sim

import (
	"testing"

	"github.com/nslab/nslab/nsstate"
)

// pinnedNS returns the namespace of type t with a pin how/where, or nil.
func pinnedNS(s *nsstate.Snapshot, t nsstate.NSType, how, where string) *nsstate.Namespace {
	for i := range s.Namespaces {
		n := &s.Namespaces[i]
		for _, p := range n.Pinned {
			if n.Type == t && p.How == how && p.Where == where {
				return n
			}
		}
	}
	return nil
}

// TestSnapshotPins: namespaces no process is in appear in the snapshot
// with what holds them — ip netns add's bind mount, a descriptor, and
// pid_for_children of a process whose PID namespace's init has died —
// and go once nothing holds them.
func TestSnapshotPins(t *testing.T) {
	l := labForTest(t)
	runScript(t, l, `ip netns add blue
ip -n blue link set lo up
touch /tmp/i; unshare --ipc=/tmp/i true
sh -c 'exec 3</tmp/i; umount -l /tmp/i; exec sleep 100' &
unshare -p sh -c 'true & wait; exec sleep 100' &
sleep 0.5`)
	s := l.Snapshot()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	inUse := map[string]bool{}
	for _, p := range s.Processes {
		for _, id := range p.NS {
			inUse[id] = true
		}
	}
	blue := pinnedNS(s, nsstate.NSNet, nsstate.PinMount, "/run/netns/blue")
	if blue == nil || inUse[blue.ID] || blue.Pinned[0].MountNS != s.Host[nsstate.NSMnt] {
		t.Fatalf("want a network namespace no process is in, bound on /run/netns/blue in the lab host's mount namespace: %+v", blue)
	}
	if len(blue.Interfaces) != 1 || !blue.Interfaces[0].Up {
		t.Errorf("blue's interfaces %+v: want lo, up", blue.Interfaces)
	}
	var sleeps []int
	for _, p := range s.Processes {
		if p.Comm == "sleep" {
			sleeps = append(sleeps, p.PID)
		}
	}
	if len(sleeps) != 2 {
		t.Fatalf("want two sleeps, got %v", sleeps)
	}
	ipc := pinnedNS(s, nsstate.NSIPC, nsstate.PinFD, "PID "+itoa(sleeps[0])+" fd 3")
	if ipc == nil || inUse[ipc.ID] {
		t.Errorf("want an IPC namespace no process is in, held by fd 3 of PID %d", sleeps[0])
	}
	pid := pinnedNS(s, nsstate.NSPID, nsstate.PinForChildren, "PID "+itoa(sleeps[1])+" pid_for_children")
	if pid == nil || inUse[pid.ID] || pid.Parent != s.Host[nsstate.NSPID] {
		t.Errorf("want a PID namespace whose init died, held by pid_for_children of PID %d: %+v", sleeps[1], pid)
	}

	runScript(t, l, `ip netns delete blue; kill `+itoa(sleeps[0])+` `+itoa(sleeps[1])+`; sleep 0.2`)
	s = l.Snapshot()
	for _, n := range s.Namespaces {
		if len(n.Pinned) > 0 || n.ID == blue.ID {
			t.Errorf("after ip netns delete and the holders' end, %s is still listed (pins %+v)", n.ID, n.Pinned)
		}
	}
}
