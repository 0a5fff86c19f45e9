package nsstate

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// nested builds a lab host with one container: new user, pid and mount
// namespaces, root inside mapped to the lab host's uid 1000.
func nested() *Snapshot {
	s := New("test")
	for _, t := range Types {
		s.Host[t] = NSID(t, 4026532000+uint64(len(s.Namespaces)))
		s.Namespaces = append(s.Namespaces, Namespace{ID: s.Host[t], Type: t, Inode: 4026532000 + uint64(len(s.Namespaces))})
	}
	s.Namespace(s.Host[NSUser]).UIDMap = IDMap{{0, 200000000, 65536}}
	s.Namespace(s.Host[NSUser]).GIDMap = IDMap{{0, 200000000, 65536}}
	cu := Namespace{ID: NSID(NSUser, 4026532100), Type: NSUser, Inode: 4026532100, Parent: s.Host[NSUser],
		UIDMap: IDMap{{0, 1000, 1}}, GIDMap: IDMap{{0, 1000, 1}}, Setgroups: "deny"}
	cp := Namespace{ID: NSID(NSPID, 4026532101), Type: NSPID, Inode: 4026532101, Parent: s.Host[NSPID], Owner: cu.ID}
	cm := Namespace{ID: NSID(NSMnt, 4026532102), Type: NSMnt, Inode: 4026532102, Owner: cu.ID}
	s.Namespaces = append(s.Namespaces, cu, cp, cm)
	hostNS := func() map[NSType]string {
		m := map[NSType]string{}
		for k, v := range s.Host {
			m[k] = v
		}
		return m
	}
	s.Processes = append(s.Processes,
		Process{PID: 1, NSpid: []int{1}, Comm: "init", NS: hostNS()},
		Process{PID: 2, PPID: 1, NSpid: []int{2}, UID: 1000, GID: 1000, NSUID: 1000, NSGID: 1000, Comm: "bash", NS: hostNS()},
	)
	cns := hostNS()
	cns[NSUser], cns[NSPID], cns[NSMnt] = cu.ID, cp.ID, cm.ID
	s.Processes = append(s.Processes,
		Process{PID: 7, PPID: 2, NSpid: []int{7, 1}, UID: 1000, GID: 1000, Comm: "sh", NS: cns},
		Process{PID: 9, PPID: 7, NSpid: []int{9, 2}, UID: 1000, GID: 1000, Comm: "sleep", NS: cns},
	)
	s.Sort()
	return s
}

func TestNSIDRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		id   string
		typ  NSType
		ino  uint64
		fail string
	}{
		{id: "pid:[4026532001]", typ: NSPID, ino: 4026532001},
		{id: "cgroup:[4026531835]", typ: NSCgroup, ino: 4026531835},
		{id: "pid_for_children:[1]", fail: "unknown type"},
		{id: "pid:4026532001", fail: "want TYPE:[INODE]"},
		{id: "pid:[x]", fail: "invalid syntax"},
		{id: "", fail: "want TYPE:[INODE]"},
		{id: "mnt:[", fail: "want TYPE:[INODE]"},
	} {
		typ, ino, err := ParseNSID(tc.id)
		if tc.fail != "" {
			if err == nil || !strings.Contains(err.Error(), tc.fail) {
				t.Errorf("ParseNSID(%q) error %v, want one saying %q", tc.id, err, tc.fail)
			}
			continue
		}
		if err != nil || typ != tc.typ || ino != tc.ino {
			t.Errorf("ParseNSID(%q) = %q, %d, %v", tc.id, typ, ino, err)
		}
		if back := NSID(typ, ino); back != tc.id {
			t.Errorf("NSID(%q, %d) = %q, want %q", typ, ino, back, tc.id)
		}
	}
}

func TestIDMapJSONIsTriples(t *testing.T) {
	m := IDMap{{0, 200000000, 65536}, {70000, 1, 2}}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "[[0,200000000,65536],[70000,1,2]]" {
		t.Fatalf("marshal = %s", b)
	}
	var back IDMap
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, m) {
		t.Fatalf("unmarshal = %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`[[1,2]]`), &back); err == nil {
		t.Error("a pair must not pass as a triple")
	}
}

func TestIDMapUpDown(t *testing.T) {
	// user_namespaces(7): "each line specifies a 1-to-1 mapping of a range
	// of contiguous user IDs between two user namespaces".
	m := IDMap{{0, 100000, 10}, {1000, 5, 1}}
	for _, tc := range []struct {
		in, out uint32
		ok      bool
	}{{0, 100000, true}, {9, 100009, true}, {10, 0, false}, {1000, 5, true}, {1001, 0, false}} {
		out, ok := m.Up(tc.in)
		if ok != tc.ok || (ok && out != tc.out) {
			t.Errorf("Up(%d) = %d, %v", tc.in, out, ok)
		}
		if tc.ok {
			if in, ok := m.Down(tc.out); !ok || in != tc.in {
				t.Errorf("Down(%d) = %d, %v", tc.out, in, ok)
			}
		}
	}
	// A range at the top of the ID space must not overflow.
	top := IDMap{{4294967290, 0, 6}}
	if _, ok := top.Up(4294967295); !ok {
		t.Error("last ID of a range ending at 2^32 not mapped")
	}
}

func TestTranslations(t *testing.T) {
	s := nested()
	cpid := NSID(NSPID, 4026532101)
	cuser := NSID(NSUser, 4026532100)
	sleep := s.Process(9)
	if pid, ok := s.PIDIn(sleep, cpid); !ok || pid != 2 {
		t.Errorf("sleep's container pid = %d, %v; want 2", pid, ok)
	}
	if pid, ok := s.PIDIn(sleep, s.Host[NSPID]); !ok || pid != 9 {
		t.Errorf("sleep's host pid = %d, %v; want 9", pid, ok)
	}
	// pid_namespaces(7): a process is visible to processes in its own and
	// ancestor namespaces only.
	if _, ok := s.PIDIn(s.Process(2), cpid); ok {
		t.Error("a lab host process is visible in the container's pid namespace")
	}
	if uid, ok := s.UIDIn(1000, cuser); !ok || uid != 0 {
		t.Errorf("uid 1000 in the container = %d, %v; want 0", uid, ok)
	}
	// user_namespaces(7): unmapped IDs read as the overflow ID.
	if uid, ok := s.UIDIn(0, cuser); ok || uid != OverflowID {
		t.Errorf("unmapped uid 0 in the container = %d, %v; want %d", uid, ok, OverflowID)
	}
	if d := s.Depth(cpid); d != 1 {
		t.Errorf("depth of the container pid namespace = %d", d)
	}
	if d := s.Depth("pid:[1]"); d != -1 {
		t.Errorf("depth of an unknown namespace = %d", d)
	}
}

func TestSetsNewestFirst(t *testing.T) {
	s := nested()
	sets := s.Sets()
	if len(sets) != 2 {
		t.Fatalf("got %d sets, want 2", len(sets))
	}
	if sets[0].IsHost() || !reflect.DeepEqual(sets[0].PIDs, []int{7, 9}) {
		t.Errorf("first set = %+v, want the container with pids 7 and 9", sets[0])
	}
	if !reflect.DeepEqual(sets[0].New, []NSType{NSUser, NSPID, NSMnt}) {
		t.Errorf("container's new types = %v", sets[0].New)
	}
	if !sets[1].IsHost() {
		t.Errorf("last set is not the host: %+v", sets[1])
	}
}

func TestCompareApply(t *testing.T) {
	a := nested()
	b := nested()
	b.Processes = b.Processes[:3]                   // sleep exits
	b.Process(7).Comm = "bash"                      // sh execs bash
	b.Namespace(b.Host[NSUTS]).Hostname = "renamed" // hostname
	b.Processes = append(b.Processes, Process{PID: 12, PPID: 1, NSpid: []int{12}, NS: a.Process(1).NS})
	b.Sort()
	d := Compare(a, b)
	if len(d.RemovedProcesses) != 1 || d.RemovedProcesses[0] != 9 {
		t.Errorf("removed = %v", d.RemovedProcesses)
	}
	if len(d.Processes) != 2 || len(d.Namespaces) != 1 {
		t.Errorf("diff = %+v", d)
	}
	got := a.Apply(d)
	if !reflect.DeepEqual(got, b) {
		gb, _ := json.Marshal(got)
		bb, _ := json.Marshal(b)
		t.Fatalf("apply(compare) differs:\n got %s\nwant %s", gb, bb)
	}
	if Equal(a, b) || !Equal(a, nested()) || !Equal(b, b) {
		t.Errorf("Equal disagrees with Compare")
	}
	if d := Compare(b, b); !d.Empty() {
		t.Errorf("diff of equal snapshots = %+v", d)
	}
	if d := Compare(nil, b); len(d.Processes) != len(b.Processes) {
		t.Errorf("diff from nothing has %d processes", len(d.Processes))
	}
}

func TestValidate(t *testing.T) {
	if err := nested().Validate(); err != nil {
		t.Fatalf("valid snapshot: %v", err)
	}
	for name, tc := range map[string]struct {
		mutate func(*Snapshot)
		want   string
	}{
		"version":     {func(s *Snapshot) { s.Version = 99 }, "version 99"},
		"bad id":      {func(s *Snapshot) { s.Namespaces[0].ID = "x" }, "want TYPE:[INODE]"},
		"type clash":  {func(s *Snapshot) { s.Namespaces[0].Type = NSNet }, "do not match"},
		"dup ns":      {func(s *Snapshot) { s.Namespaces[1] = s.Namespaces[0] }, "listed twice"},
		"dup pid":     {func(s *Snapshot) { s.Processes[1].PID = 1; s.Processes[1].NSpid = []int{1} }, "listed twice"},
		"nspid":       {func(s *Snapshot) { s.Processes[0].NSpid = nil }, "must start with its pid"},
		"dangling ns": {func(s *Snapshot) { s.Processes[0].NS[NSNet] = "net:[1]" }, "not in the snapshot"},
	} {
		s := nested()
		tc.mutate(s)
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate() = %v, want an error saying %q", name, err, tc.want)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	s := nested()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"version":1`, `"nspid":[9,2]`, `"uid_map":[[0,1000,1]]`, `"ns":{`, `"host":{`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("JSON lacks %s: %s", field, b)
		}
	}
	var back Snapshot
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, s) {
		t.Error("JSON round trip changed the snapshot")
	}
}

// FuzzDecode feeds arbitrary bytes to the decoding path that consumers of
// the JSON form use; it must never panic, and what validates must survive a
// round trip.
func FuzzDecode(f *testing.F) {
	b, _ := json.Marshal(nested())
	f.Add(b)
	f.Add([]byte(`{"version":1,"namespaces":[{"id":"pid:[1]","type":"pid","inode":1}],"processes":[{"pid":1,"nspid":[1],"ns":{"pid":"pid:[1]"}}]}`))
	f.Add([]byte(`{"version":1,"namespaces":[{"uid_map":[[0,1]]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Snapshot
		if json.Unmarshal(data, &s) != nil {
			return
		}
		if s.Validate() != nil {
			return
		}
		s.Sets()
		for i := range s.Processes {
			for _, ns := range s.Namespaces {
				s.PIDIn(&s.Processes[i], ns.ID)
				s.UIDIn(s.Processes[i].UID, ns.ID)
			}
		}
		d := Compare(&s, &s)
		if !d.Empty() {
			t.Fatalf("self-diff not empty: %+v", d)
		}
	})
}

func FuzzParseNSID(f *testing.F) {
	for _, s := range []string{"pid:[4026532001]", "user:[1]", "x:[1]", ":[]", "mnt:[18446744073709551615]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		typ, ino, err := ParseNSID(id)
		if err != nil {
			return
		}
		t2, i2, err := ParseNSID(NSID(typ, ino))
		if err != nil || t2 != typ || i2 != ino {
			t.Fatalf("ParseNSID(%q) = %q %d does not survive formatting: %q %d %v", id, typ, ino, t2, i2, err)
		}
	})
}

// A snapshot that becomes truncated, and whole again, travels as diffs.
func TestCompareApplyTruncated(t *testing.T) {
	whole := nested()
	cut := nested()
	cut.Truncated = &Truncation{Cut: []string{"mounts: at most 2000 per mount namespace (1 namespace cut)"}}
	d := Compare(whole, cut)
	if d.Empty() || d.Truncated == nil || len(d.Truncated.Cut) != 1 {
		t.Fatalf("diff to a truncated snapshot = %+v", d)
	}
	if got := whole.Apply(d); !reflect.DeepEqual(got, cut) {
		t.Errorf("apply gives truncated %+v, want %+v", got.Truncated, cut.Truncated)
	}
	back := Compare(cut, whole)
	if back.Truncated == nil || len(back.Truncated.Cut) != 0 {
		t.Fatalf("diff back to a whole snapshot = %+v", back.Truncated)
	}
	b, _ := json.Marshal(back)
	var decoded Diff
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	if got := cut.Apply(decoded); got.Truncated != nil {
		t.Errorf("after the diff back the snapshot still says truncated: %+v", got.Truncated)
	}
	if Equal(whole, cut) {
		t.Errorf("Equal ignores truncation")
	}
}
