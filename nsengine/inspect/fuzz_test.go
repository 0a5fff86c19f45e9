//go:build linux

package inspect

import (
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/nslab/nslab/nsstate"
)

// The fuzz targets feed garbage to each procfs parser: it must return an
// error or a value, never panic, and keep its bounds. Seeds are the table
// tests' inputs; run one with, for example:
//
//	go test -run '^$' -fuzz FuzzMountinfo -fuzztime 30s ./nsengine/inspect

func FuzzMountinfo(f *testing.F) {
	f.Add([]byte(mountinfoSample))
	f.Add([]byte("36 35 98:0 / / rw - ext3\n"))
	f.Add([]byte("1 2 3:4 \\040 \\1 - - - -\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ms, err := parseMountinfo(b)
		for _, m := range ms {
			if err != nil || m.ID < 0 || m.ParentID < 0 || m.Major < 0 || m.Minor < 0 {
				t.Fatalf("mount %+v with err %v", m, err)
			}
			if len(m.Point) > len(b) || len(m.Root) > len(b) || len(m.Source) > len(b) {
				t.Fatalf("unescaping grew a field: %+v", m)
			}
		}
	})
}

func FuzzStatus(f *testing.F) {
	f.Add([]byte(statusSample))
	f.Add([]byte("Name:\ta\\nb\\\\\nUid:\t0 0\nGid:\t1 2\nNSpid:\t0\n"))
	f.Add([]byte("NSpid:\t" + "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := parseStatus(b)
		if err == nil && (len(st.NSpid) == 0 || len(st.NSpid) > 33 || st.PPid < 0 || len(st.State) > 1) {
			t.Fatalf("accepted %+v", st)
		}
	})
}

func FuzzIDMap(f *testing.F) {
	f.Add([]byte("0 200000 65536\n1000 0 1\n"))
	f.Add([]byte("0 0 4294967295\n"))
	f.Add([]byte("0 0\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseIDMap(b)
		if err == nil && len(m) > maxIDMapLines {
			t.Fatalf("accepted %d lines", len(m))
		}
		if err == nil {
			// Whatever was parsed, translations through it stay total.
			for _, r := range m {
				m.Down(r.Outside)
				reparent(m, m)
			}
		}
	})
}

func FuzzNetDev(f *testing.F) {
	f.Add([]byte(netDevSample))
	f.Add([]byte("a\nb\nlo:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ifs, err := parseNetDev(b)
		for _, i := range ifs {
			if err != nil || i.Name == "" {
				t.Fatalf("interface %+v with err %v", i, err)
			}
		}
	})
}

func FuzzSysvipc(f *testing.F) {
	f.Add("shm", []byte("key shmid perms size uid\n1 2 644 4096 0\n"))
	f.Add("sem", []byte("       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n         0          1   600          1     0     0     0     0          0 1764364462\n"))
	f.Add("msg", []byte("key msqid perms uid\n"))
	f.Add("shm", []byte("key key shmid perms uid\n1 2 600 0\n"))
	f.Fuzz(func(t *testing.T, kind string, b []byte) {
		objs, err := parseSysvipc(kind, b)
		for _, o := range objs {
			if err != nil || o.Kind != kind || o.ID < 0 {
				t.Fatalf("object %+v with err %v", o, err)
			}
		}
	})
}

func FuzzTimensOffsets(f *testing.F) {
	f.Add([]byte("monotonic        3600         0\nboottime            0         0\n"))
	f.Add([]byte("1 7 0\n7 9 0\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := parseTimensOffsets(b)
		if err == nil && (o.Monotonic.Nsec < 0 || o.Monotonic.Nsec >= 1e9 || o.Boottime.Nsec < 0 || o.Boottime.Nsec >= 1e9) {
			t.Fatalf("accepted %+v", o)
		}
	})
}

func FuzzCgroup(f *testing.F) {
	f.Add([]byte("12:pids:/lab/7\n1:name=systemd:/x:y\n0::/lab/7/sub\n"), "/lab/7")
	f.Add([]byte("0::/\n"), "/")
	f.Fuzz(func(t *testing.T, b []byte, root string) {
		lines, err := parseCgroup(b)
		if err != nil {
			return
		}
		if l, ok := pickCgroup(lines); ok {
			if rel := relativeCgroup(l.Path, root); rel == "" || rel[0] != '/' {
				t.Fatalf("relativeCgroup(%q, %q) = %q", l.Path, root, rel)
			}
		}
	})
}

func FuzzNSLink(f *testing.F) {
	f.Add([]byte("pid:[4026532001]"))
	f.Add([]byte("x:[18446744073709551615]"))
	f.Add([]byte(":[]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if ino, ok := parseNSLink(b); ok && nsstate.NSID(nsstate.NSPID, ino) == "" {
			t.Fatal("unreachable")
		}
	})
}

func FuzzCommCmdline(f *testing.F) {
	f.Add([]byte("a\\b\\n"))
	f.Add([]byte("sleep\x001000\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := unescapeName(b)
		if utf8.ValidString(string(b)) && len(s) > len(b) {
			t.Fatalf("unescapeName grew %q to %q", b, s)
		}
		splitCmdline(b)
	})
}

func FuzzNetlink(f *testing.F) {
	// Seeds: what this machine's kernel answers.
	for _, req := range []int{syscall.RTM_GETLINK, syscall.RTM_GETADDR} {
		b, err := syscall.NetlinkRIB(req, syscall.AF_UNSPEC)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		links, err := parseLinks(b)
		if err != nil {
			links = map[string]*linkState{}
		}
		parseAddrs(b, links)
	})
}
