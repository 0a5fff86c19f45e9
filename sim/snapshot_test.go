package sim

import (
	"encoding/json"
	"testing"

	"github.com/nslab/nslab/nsstate"
)

func TestSnapshot(t *testing.T) {
	l := labForTest(t)
	s := l.Snapshot()
	if err := s.Validate(); err != nil {
		t.Fatalf("initial snapshot: %v", err)
	}
	if s.Source != "sim" || len(s.Host) != 8 || len(s.Namespaces) != 8 {
		t.Errorf("initial snapshot: source %q, %d host namespaces, %d namespaces; want sim, 8, 8", s.Source, len(s.Host), len(s.Namespaces))
	}
	if p := s.Process(1); p == nil || p.Comm != "init" || p.PPID != 0 {
		t.Errorf("PID 1: %+v, want init with PPID 0", p)
	}
	user := s.Namespace(s.Host[nsstate.NSUser])
	if want := (nsstate.IDMap{{Inside: 0, Outside: labIDBase, Count: labIDCount}}); user == nil || len(user.UIDMap) != 1 || user.UIDMap[0] != want[0] {
		t.Errorf("lab host uid_map %+v, want %v", user, want)
	}

	// A container: new user and PID namespaces with a sleeping process.
	runScript(t, l, `unshare -Urpf --mount-proc sleep 100 &`)
	s = l.Snapshot()
	if err := s.Validate(); err != nil {
		t.Fatalf("snapshot with a container: %v", err)
	}
	var sleep *nsstate.Process
	for i := range s.Processes {
		if s.Processes[i].Comm == "sleep" {
			sleep = &s.Processes[i]
		}
	}
	if sleep == nil {
		t.Fatalf("no sleep process in %+v", s.Processes)
	}
	if len(sleep.NSpid) != 2 || sleep.NSpid[1] != 1 {
		t.Errorf("sleep's NSpid %v, want [PID 1]", sleep.NSpid)
	}
	if pid, ok := s.PIDIn(sleep, sleep.NS[nsstate.NSPID]); !ok || pid != 1 {
		t.Errorf("PIDIn its own namespace: %d %v, want 1", pid, ok)
	}
	if sleep.UID != 0 || sleep.NSUID != 0 {
		t.Errorf("sleep's uid %d (host view) %d (own view), want 0 and 0", sleep.UID, sleep.NSUID)
	}
	ns := s.Namespace(sleep.NS[nsstate.NSUser])
	if ns == nil || ns.Parent != s.Host[nsstate.NSUser] || len(ns.UIDMap) != 1 || ns.Setgroups != "deny" {
		t.Errorf("container user namespace %+v", ns)
	}
	// Three sets: the lab host's; unshare's (new user and mount
	// namespaces, its PID namespace unchanged); sleep's (new PID too).
	sets := s.Sets()
	if len(sets) != 3 || sets[0].IsHost() || sets[0].PIDs[0] != sleep.PID || !sets[2].IsHost() {
		t.Errorf("namespace sets: got %+v", sets)
	}
	// The JSON form reads back into an equal snapshot.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back nsstate.Snapshot
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := nsstate.Compare(s, &back); !d.Empty() {
		t.Errorf("JSON round trip changed the snapshot: %+v", d)
	}
}
