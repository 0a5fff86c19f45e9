package sim

import (
	"testing"
	"time"
)

// labForTest boots a lab for a model test and closes it afterwards.
func labForTest(t testing.TB) *Lab {
	t.Helper()
	l := NewLab(Options{Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	t.Cleanup(l.Close)
	return l
}

// userNSFixture is a lab-root process (parent) and a child that has just
// made a new user namespace (no maps yet).
type userNSFixture struct {
	k             *Kernel
	parent, child *Task
	ns            *UserNamespace
}

func newUserNSFixture(t *testing.T) userNSFixture {
	t.Helper()
	l := labForTest(t)
	k := l.k
	parent, err := k.fork(k.labInit)
	if err != nil {
		t.Fatal(err)
	}
	child, err := k.fork(parent)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Unshare(child, CloneNewUser); err != nil {
		t.Fatalf("unshare(CLONE_NEWUSER): %v", err)
	}
	return userNSFixture{k: k, parent: parent, child: child, ns: child.creds.UserNS}
}

func TestIDMapWriteRules(t *testing.T) {
	tests := []struct {
		rule string
		// setup runs before the write; it returns the writer.
		setup func(f userNSFixture) *Task
		kind  mapKind
		data  string
		want  error
	}{
		{"a writer with CAP_SETUID in the parent namespace: no further restrictions apply",
			func(f userNSFixture) *Task { return f.parent }, uidMapFile, "0 0 1\n1 1 10\n", nil},
		{"unprivileged: a single line that maps the writing process's effective user ID in the parent",
			func(f userNSFixture) *Task { return f.child }, uidMapFile, "0 0 1", nil},
		{"unprivileged: the data must consist of a single line",
			func(f userNSFixture) *Task { return f.child }, uidMapFile, "0 0 1\n1 1 1", EPERM},
		{"unprivileged: the line must map the writer's own effective user ID",
			func(f userNSFixture) *Task { return f.child }, uidMapFile, "0 5 1", EPERM},
		{"Defining a mapping is a one-time operation per namespace",
			func(f userNSFixture) *Task {
				if err := f.k.writeIDMap(f.parent.creds, f.ns, uidMapFile, "0 0 1"); err != nil {
					t.Fatal(err)
				}
				return f.parent
			}, uidMapFile, "0 0 1", EPERM},
		{"The writing process must have the CAP_SETUID capability in the user namespace of the process pid",
			func(f userNSFixture) *Task { f.child.creds = f.child.creds.afterExec(); return f.child }, uidMapFile, "0 0 1", EPERM},
		{"The writing process must be in either the user namespace of the process pid or inside the parent user namespace",
			func(f userNSFixture) *Task {
				other, _ := f.k.fork(f.parent)
				if err := f.k.Unshare(other, CloneNewUser); err != nil {
					t.Fatal(err)
				}
				return other
			}, uidMapFile, "0 0 1", EPERM},
		{"The mapped user IDs must in turn have a mapping in the parent user namespace",
			func(f userNSFixture) *Task { return f.parent }, uidMapFile, "0 70000 1", EPERM},
		{"a range may not reach past the parent's own range",
			func(f userNSFixture) *Task { return f.parent }, uidMapFile, "0 65000 1000", EPERM},
		{"a count of 0 is invalid (EINVAL)",
			func(f userNSFixture) *Task { return f.parent }, uidMapFile, "0 0 0", EINVAL},
		{"each line holds three numbers (EINVAL)",
			func(f userNSFixture) *Task { return f.parent }, uidMapFile, "0 0", EINVAL},
		{"ranges may not overlap (EINVAL)",
			func(f userNSFixture) *Task { return f.parent }, uidMapFile, "0 0 2\n1 5 1", EINVAL},
		{"In the case of gid_map, use of setgroups(2) must first be denied",
			func(f userNSFixture) *Task { return f.child }, gidMapFile, "0 0 1", EPERM},
		{"after writing deny to setgroups, an unprivileged gid_map is allowed",
			func(f userNSFixture) *Task {
				if err := f.k.writeSetgroups(f.child.creds, f.ns, "deny"); err != nil {
					t.Fatal(err)
				}
				return f.child
			}, gidMapFile, "0 0 1", nil},
		{"a privileged writer need not deny setgroups first",
			func(f userNSFixture) *Task { return f.parent }, gidMapFile, "0 0 1", nil},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			f := newUserNSFixture(t)
			w := tc.setup(f)
			err := f.k.writeIDMap(w.creds, f.ns, tc.kind, tc.data)
			if err != tc.want {
				t.Errorf("write %q: got %v, want %v", tc.data, err, tc.want)
			}
		})
	}
}

func TestSetgroupsRules(t *testing.T) {
	t.Run("once deny has been written it cannot be changed back to allow", func(t *testing.T) {
		f := newUserNSFixture(t)
		if err := f.k.writeSetgroups(f.child.creds, f.ns, "deny"); err != nil {
			t.Fatal(err)
		}
		if err := f.k.writeSetgroups(f.child.creds, f.ns, "allow"); err != EPERM {
			t.Errorf("allow after deny: got %v, want EPERM", err)
		}
	})
	t.Run("deny is not permitted after gid_map has been written", func(t *testing.T) {
		f := newUserNSFixture(t)
		if err := f.k.writeIDMap(f.parent.creds, f.ns, gidMapFile, "0 0 1"); err != nil {
			t.Fatal(err)
		}
		if err := f.k.writeSetgroups(f.parent.creds, f.ns, "deny"); err != EPERM {
			t.Errorf("deny after gid_map: got %v, want EPERM", err)
		}
	})
	t.Run("a child namespace inherits deny from its parent", func(t *testing.T) {
		f := newUserNSFixture(t)
		if err := f.k.writeSetgroups(f.child.creds, f.ns, "deny"); err != nil {
			t.Fatal(err)
		}
		f.k.writeIDMap(f.child.creds, f.ns, uidMapFile, "0 0 1")
		f.k.writeIDMap(f.child.creds, f.ns, gidMapFile, "0 0 1")
		grand, _ := f.k.fork(f.child)
		if err := f.k.Unshare(grand, CloneNewUser); err != nil {
			t.Fatal(err)
		}
		if !grand.creds.UserNS.setgroupsDenied {
			t.Error("child namespace reads allow, want deny")
		}
	})
	t.Run("opening setgroups for writing needs CAP_SYS_ADMIN (EACCES)", func(t *testing.T) {
		f := newUserNSFixture(t)
		f.child.creds = f.child.creds.afterExec()
		if _, err := f.k.open(f.child, "/proc/self/setgroups", openWrite); err != EACCES {
			t.Errorf("open for writing: got %v, want EACCES", err)
		}
	})
}

func TestCapabilityRules(t *testing.T) {
	f := newUserNSFixture(t)
	if err := f.k.writeIDMap(f.parent.creds, f.ns, uidMapFile, "0 0 1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rule string
		who  *Task
		cap  Capability
		in   *UserNamespace
		want bool
	}{
		{"The child process created with CLONE_NEWUSER starts out with a complete set of capabilities in the new user namespace",
			f.child, CapSysAdmin, f.ns, true},
		{"having a capability inside a user namespace ... does not give it in the parent",
			f.child, CapSysAdmin, f.k.lab.user, false},
		{"Processes ... of the parent user namespace whose effective user ID matches the owner of the namespace have all capabilities in the namespace",
			f.parent, CapSetUID, f.ns, true},
		{"If a process has a capability in a user namespace, then it has that capability in all child namespaces",
			f.k.labInit, CapNetAdmin, f.ns, true},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			if got := tc.who.creds.HasCapabilityIn(tc.cap, tc.in); got != tc.want {
				t.Errorf("HasCapabilityIn = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("a process whose IDs are unmapped loses its capabilities across execve", func(t *testing.T) {
		g := newUserNSFixture(t)
		c := g.child.creds.afterExec()
		if c.Effective != 0 || c.Permitted != 0 {
			t.Errorf("after exec: effective %x permitted %x, want none", c.Effective, c.Permitted)
		}
	})
}

func TestUnmappedIDsReadAsOverflow(t *testing.T) {
	// "an unmapped ID ... is converted to the overflow user ID 65534".
	f := newUserNSFixture(t)
	if got := f.ns.MungedUID(f.child.creds.EUID); got != OverflowUID {
		t.Errorf("unmapped uid reads %d, want %d", got, OverflowUID)
	}
	f.k.writeIDMap(f.parent.creds, f.ns, uidMapFile, "0 0 1")
	if got := f.ns.MungedUID(f.child.creds.EUID); got != 0 {
		t.Errorf("mapped uid reads %d, want 0", got)
	}
	if got := renderIDMap(f.k.lab.user, f.ns, uidMapFile); got != "         0          0          1\n" {
		t.Errorf("uid_map from the parent namespace: %q", got)
	}
	if got := renderIDMap(f.ns, f.ns, uidMapFile); got != "         0          0          1\n" {
		t.Errorf("uid_map from inside: %q", got)
	}
}

func TestUnshareUserNeedsMappedIDs(t *testing.T) {
	// unshare(2): "EPERM CLONE_NEWUSER was specified in flags, and the
	// caller's effective user ID or effective group ID does not have a
	// mapping in the parent namespace".
	f := newUserNSFixture(t)
	f.k.writeIDMap(f.parent.creds, f.ns, uidMapFile, "0 0 1")
	if err := f.k.Unshare(f.child, CloneNewUser); err != EPERM {
		t.Errorf("unshare with an unmapped gid: got %v, want EPERM", err)
	}
}

func TestUserNamespaceNestingLimit(t *testing.T) {
	// unshare(2): "EUSERS ... the limit on the number of nested user
	// namespaces would be exceeded" (32 levels).
	l := labForTest(t)
	k := l.k
	cur, _ := k.fork(k.labInit)
	var err error
	levels := 1
	for ; levels < 40; levels++ {
		if err = k.Unshare(cur, CloneNewUser); err != nil {
			break
		}
		k.writeIDMap(cur.creds, cur.creds.UserNS, uidMapFile, "0 0 1")
		k.writeSetgroups(cur.creds, cur.creds.UserNS, "deny")
		k.writeIDMap(cur.creds, cur.creds.UserNS, gidMapFile, "0 0 1")
	}
	if err != EUSERS || levels != maxUserNSLevel {
		t.Errorf("nesting stopped at level %d with %v, want level %d with EUSERS", levels, err, maxUserNSLevel)
	}
}

func TestFileAccessNeedsMappedOwner(t *testing.T) {
	// capabilities(7): CAP_DAC_OVERRIDE applies to a file only when "the
	// file's user and group IDs are mapped in the process's user
	// namespace".
	runScriptCases(t, []scriptCase{
		{rule: "root of a child namespace that maps the lab's root reads the lab root's files",
			script: `echo s > /root/f; unshare -r cat /root/f`, wantOut: "s\n"},
		{rule: "root of a namespace that maps another lab uid is a stranger to them",
			script:  `echo s > /root/f; unshare -U sleep 1 & sleep 0.1; echo '0 1000 1' > /proc/$!/uid_map; echo '0 1000 1' > /proc/$!/gid_map; nsenter -t $! -U cat /root/f`,
			wantErr: "cat: /root/f: Permission denied", wantStatus: 1},
		{rule: "the owner's mode bits still let others read a world-readable file",
			script:  `unshare -U sleep 1 & sleep 0.1; echo '0 1000 1' > /proc/$!/uid_map; echo '0 1000 1' > /proc/$!/gid_map; nsenter -t $! -U head -1 /etc/passwd`,
			wantOut: "root:x:0:0:root:/root:/bin/bash\n"},
	})
}
