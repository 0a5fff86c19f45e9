//go:build linux

package inspect

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nslab/nslab/nsstate"
)

// pinOf returns the first namespace of type t pinned as how with where
// containing where, or nil.
func pinOf(s *nsstate.Snapshot, t nsstate.NSType, how, where string) *nsstate.Namespace {
	for i := range s.Namespaces {
		n := &s.Namespaces[i]
		if n.Type != t {
			continue
		}
		for _, p := range n.Pinned {
			if p.How == how && strings.Contains(p.Where, where) {
				return n
			}
		}
	}
	return nil
}

// members counts the processes in namespace id.
func members(s *nsstate.Snapshot, id string) int {
	n := 0
	for _, p := range s.Processes {
		for _, x := range p.NS {
			if x == id {
				n++
			}
		}
	}
	return n
}

// TestPinnedNamespaces makes namespaces no process is in, held by a bind
// mount (unshare --net=FILE, --uts=FILE, as ip netns add does), an open
// descriptor, and pid_for_children (unshare -p without a fork), and
// checks that the snapshot lists each with its pin and, for the network
// and UTS ones, what they hold, read through the pin.
func TestPinnedNamespaces(t *testing.T) {
	l := startLab(t, `
mount -t proc proc /proc
mount -t tmpfs pins /mnt
mkdir /mnt/pins
touch /mnt/pins/blue /mnt/pins/name /mnt/ipc
unshare --net=/mnt/pins/blue ip link set lo up
unshare --uts=/mnt/pins/name hostname pinned
unshare --ipc=/mnt/ipc true
sh -c 'exec 3</mnt/ipc; umount -l /mnt/ipc; exec sleep 1000' &
unshare --pid sh -c 'sleep 1000' &
`)
	want := func(s *nsstate.Snapshot) bool {
		return pinOf(s, nsstate.NSNet, nsstate.PinMount, "/mnt/pins/blue") != nil &&
			pinOf(s, nsstate.NSUTS, nsstate.PinMount, "/mnt/pins/name") != nil &&
			pinOf(s, nsstate.NSPID, nsstate.PinForChildren, "pid_for_children") != nil &&
			pinOf(s, nsstate.NSIPC, nsstate.PinFD, " fd 3") != nil
	}
	s := snapshotWhen(t, Options{InitPID: l.init}, want)
	b, _ := json.MarshalIndent(s, "", "  ")

	blue := pinOf(s, nsstate.NSNet, nsstate.PinMount, "/mnt/pins/blue")
	if members(s, blue.ID) != 0 {
		t.Errorf("%s: want no member process\n%s", blue.ID, b)
	}
	if blue.Owner != s.Host[nsstate.NSUser] {
		t.Errorf("%s: owner %q, want the lab host's user namespace %s", blue.ID, blue.Owner, s.Host[nsstate.NSUser])
	}
	if p := blue.Pinned[0]; p.MountNS != s.Host[nsstate.NSMnt] || p.Where != "/mnt/pins/blue" {
		t.Errorf("%s: pin %+v, want /mnt/pins/blue in the lab host's mount namespace", blue.ID, p)
	}
	if len(blue.Interfaces) != 1 || blue.Interfaces[0].Name != "lo" || !blue.Interfaces[0].Up {
		t.Errorf("%s: interfaces %+v, want lo, up (read through the pin)", blue.ID, blue.Interfaces)
	}
	if name := pinOf(s, nsstate.NSUTS, nsstate.PinMount, "/mnt/pins/name"); name.Hostname != "pinned" {
		t.Errorf("%s: hostname %q, want pinned\n%s", name.ID, name.Hostname, b)
	}
	pid := pinOf(s, nsstate.NSPID, nsstate.PinForChildren, "pid_for_children")
	if pid.Parent != s.Host[nsstate.NSPID] {
		t.Errorf("%s: parent %q, want the lab host's PID namespace", pid.ID, pid.Parent)
	}
	ipc := pinOf(s, nsstate.NSIPC, nsstate.PinFD, " fd 3")
	if ipc == nil || ipc.ID == s.Host[nsstate.NSIPC] || members(s, ipc.ID) != 0 {
		t.Errorf("want an IPC namespace no process is in, pinned by fd 3\n%s", b)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestPinsPerNamespaceBounded holds one network namespace by a bind mount
// and by 42 descriptors (six processes, seven each: dash opens 3 to 9): the snapshot keeps maxPinsPerNamespace pins of it,
// the mount first, and says in its truncation list that it cut the rest
// (a lab holding tens of thousands of such descriptors made every
// snapshot hold a record per descriptor).
func TestPinsPerNamespaceBounded(t *testing.T) {
	l := startLab(t, `
mount -t proc proc /proc
mount -t tmpfs pins /mnt
touch /mnt/blue
unshare --net=/mnt/blue true
for i in 1 2 3 4 5 6; do
	sh -c 'exec 3</mnt/blue 4</mnt/blue 5</mnt/blue 6</mnt/blue 7</mnt/blue 8</mnt/blue 9</mnt/blue; exec sleep 1000' &
done
`)
	want := func(s *nsstate.Snapshot) bool {
		n := pinOf(s, nsstate.NSNet, nsstate.PinMount, "/mnt/blue")
		return n != nil && len(n.Pinned) >= 8
	}
	s := snapshotWhen(t, Options{InitPID: l.init}, want)
	b, _ := json.MarshalIndent(s, "", "  ")
	blue := pinOf(s, nsstate.NSNet, nsstate.PinMount, "/mnt/blue")
	if len(blue.Pinned) != maxPinsPerNamespace {
		t.Errorf("%s: %d pins, want %d\n%s", blue.ID, len(blue.Pinned), maxPinsPerNamespace, b)
	}
	if p := blue.Pinned[0]; p.How != nsstate.PinMount {
		t.Errorf("%s: first pin %+v, want the mount", blue.ID, p)
	}
	if !strings.Contains(string(b), "pins: at most") {
		t.Errorf("the truncation list does not say the pins were cut\n%s", b)
	}
}
