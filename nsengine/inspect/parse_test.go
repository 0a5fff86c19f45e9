//go:build linux

package inspect

import (
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/nslab/nslab/nsstate"
)

const statusSample = `Name:	sleep
Umask:	0022
State:	S (sleeping)
Tgid:	4242
Ngid:	0
Pid:	4242
PPid:	4200
TracerPid:	0
Uid:	201000	201001	201002	201003
Gid:	202000	202001	202002	202003
FDSize:	64
Groups:	
NStgid:	4242	7	1
NSpid:	4242	7	1
NSpgid:	4242	7	1
NSsid:	4200	3	0
`

func TestParseStatus(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want procStatus
		err  string
	}{
		{"nested", statusSample, procStatus{Name: "sleep", State: "S", PPid: 4200, UID: 201001, GID: 202001, NSpid: []int{4242, 7, 1}}, ""},
		{"escaped comm", "Name:\ta\\nb\\\\c\nState:\tR (running)\nPPid:\t0\nUid:\t0 0 0 0\nGid:\t0 0 0 0\nNSpid:\t1\n",
			procStatus{Name: "a\nb\\c", State: "R", NSpid: []int{1}}, ""},
		{"zombie", "Name:\tsh\nState:\tZ (zombie)\nPPid:\t1\nUid:\t0 0 0 0\nGid:\t0 0 0 0\nNSpid:\t9\t2\n",
			procStatus{Name: "sh", State: "Z", PPid: 1, NSpid: []int{9, 2}}, ""},
		{"no NSpid", "Name:\tsh\nUid:\t0 0 0 0\nGid:\t0 0 0 0\n", procStatus{}, "no NSpid"},
		{"no Uid", "Name:\tsh\nGid:\t0 0 0 0\nNSpid:\t1\n", procStatus{}, "no Uid"},
		{"short Uid", "Uid:\t0\n", procStatus{}, "Uid"},
		{"big Uid", "Uid:\t0 4294967296 0 0\n", procStatus{}, "Uid"},
		{"bad NSpid", "NSpid:\t1 x\n", procStatus{}, "NSpid"},
		{"bad PPid", "PPid:\t-1\n", procStatus{}, "PPid"},
		{"empty", "", procStatus{}, "no NSpid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseStatus([]byte(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want one with %q", err, c.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

const mountinfoSample = `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
43 42 254:0 / / rw,relatime shared:1 master:2 - ext4 /dev/vda rw,discard
70 43 0:50 / /mnt/a\040b rw,relatime - tmpfs my\134src rw,size=10k
71 43 0:51 /x\011y /tab ro unbindable - fuse.sshfs host:/a\012b rw
`

func TestParseMountinfo(t *testing.T) {
	got, err := parseMountinfo([]byte(mountinfoSample))
	if err != nil {
		t.Fatal(err)
	}
	want := []nsstate.Mount{
		{ID: 36, ParentID: 35, Major: 98, Minor: 0, Root: "/mnt1", Point: "/mnt2", Options: "rw,noatime",
			Propagation: []string{"master:1"}, FSType: "ext3", Source: "/dev/root", SuperOpts: "rw,errors=continue"},
		{ID: 43, ParentID: 42, Major: 254, Minor: 0, Root: "/", Point: "/", Options: "rw,relatime",
			Propagation: []string{"shared:1", "master:2"}, FSType: "ext4", Source: "/dev/vda", SuperOpts: "rw,discard"},
		{ID: 70, ParentID: 43, Major: 0, Minor: 50, Root: "/", Point: "/mnt/a b", Options: "rw,relatime",
			FSType: "tmpfs", Source: `my\src`, SuperOpts: "rw,size=10k"},
		{ID: 71, ParentID: 43, Major: 0, Minor: 51, Root: "/x\ty", Point: "/tab", Options: "ro",
			Propagation: []string{"unbindable"}, FSType: "fuse.sshfs", Source: "host:/a\nb", SuperOpts: "rw"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{
		"36 35 98:0 /mnt1 /mnt2 rw - ext3",      // no source
		"36 35 98:0 /mnt1 /mnt2 rw ext3 src rw", // no separator
		"x 35 98:0 / / rw - ext3 src rw",        // bad id
		"36 35 980 / / rw - ext3 src rw",        // bad device
		"36 35 98:-1 / / rw - ext3 src rw",      // negative minor
		"36 -35 98:0 / / rw - ext3 src rw",      // negative parent
		"36 35 98:0 / - rw ext3 src rw",         // "-" too early is a mount point, then no separator
	} {
		if m, err := parseMountinfo([]byte(bad)); err == nil {
			t.Errorf("parseMountinfo(%q) = %+v, want an error", bad, m)
		}
	}
}

func TestUnescapeOctal(t *testing.T) {
	for in, want := range map[string]string{
		`a\040b`:   "a b",
		`\134`:     `\`,
		`\0`:       `\0`,
		`\400`:     `\400`, // not a byte: kept
		`x\04`:     `x\04`,
		`\011\012`: "\t\n",
		`plain`:    "plain",
		`\\040`:    `\ `,
	} {
		if got := unescapeOctal([]byte(in)); got != want {
			t.Errorf("unescapeOctal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseIDMap(t *testing.T) {
	got, err := parseIDMap([]byte("         0     200000      65536\n      1000          0          1\n"))
	want := nsstate.IDMap{{Inside: 0, Outside: 200000, Count: 65536}, {Inside: 1000, Outside: 0, Count: 1}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
	if got, err := parseIDMap([]byte("0 0 4294967295\n")); err != nil || got[0].Count != 4294967295 {
		t.Errorf("the initial namespace's map: %v, %v", got, err)
	}
	if got, err := parseIDMap(nil); err != nil || len(got) != 0 {
		t.Errorf("an unwritten map: %v, %v; want empty", got, err)
	}
	for _, bad := range []string{"0 0\n", "0 0 1 2\n", "0 x 1\n", "0 0 4294967296\n", "-1 0 1\n", strings.Repeat("0 0 1\n", 341)} {
		if m, err := parseIDMap([]byte(bad)); err == nil {
			t.Errorf("parseIDMap(%.40q) = %v, want an error", bad, m)
		}
	}
}

func TestReparent(t *testing.T) {
	parent := nsstate.IDMap{{Inside: 0, Outside: 200000, Count: 65536}}
	for _, c := range []struct {
		name     string
		child    nsstate.IDMap
		parent   nsstate.IDMap
		want     nsstate.IDMap
		wantFail bool
	}{
		{"root", nsstate.IDMap{{Inside: 0, Outside: 200000, Count: 1}}, parent, nsstate.IDMap{{Inside: 0, Outside: 0, Count: 1}}, false},
		{"user", nsstate.IDMap{{Inside: 1000, Outside: 201000, Count: 10}}, parent, nsstate.IDMap{{Inside: 1000, Outside: 1000, Count: 10}}, false},
		{"two parent ranges", nsstate.IDMap{{Inside: 5, Outside: 300007, Count: 1}},
			nsstate.IDMap{{Inside: 0, Outside: 200000, Count: 1}, {Inside: 1, Outside: 300000, Count: 10}},
			nsstate.IDMap{{Inside: 5, Outside: 8, Count: 1}}, false},
		{"outside the parent", nsstate.IDMap{{Inside: 0, Outside: 100, Count: 1}}, parent, nil, true},
		{"past the parent's end", nsstate.IDMap{{Inside: 0, Outside: 265530, Count: 10}}, parent, nil, true},
		{"empty", nsstate.IDMap{}, parent, nsstate.IDMap{}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := reparent(c.child, c.parent)
			if ok == c.wantFail || (ok && !reflect.DeepEqual(got, c.want)) {
				t.Errorf("reparent(%v, %v) = %v, %v; want %v", c.child, c.parent, got, ok, c.want)
			}
		})
	}
}

const netDevSample = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 1137581     350    0    0    0     0          0         0  1137581     350    0    0    0     0       0          0
  eth0:434717786   21883    0    0    0     0          0         0  1618708   15500    0    0    0     0       0          0
`

func TestParseNetDev(t *testing.T) {
	got, err := parseNetDev([]byte(netDevSample))
	want := []nsstate.Interface{{Name: "lo", RxBytes: 1137581, TxBytes: 1137581}, {Name: "eth0", RxBytes: 434717786, TxBytes: 1618708}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
	head := netDevSample[:strings.Index(netDevSample, "    lo")]
	for _, bad := range []string{"lo 1 2 3\n", "lo: 1 2 3\n", ": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", "lo: x 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"} {
		if got, err := parseNetDev([]byte(head + bad)); err == nil {
			t.Errorf("parseNetDev(%q) = %+v, want an error", bad, got)
		}
	}
}

func TestParseSysvipc(t *testing.T) {
	shm := `       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap
1659510022          0   644                  4096  9075     0      0 200000 200000 200000 200000          0          0 1764364462                     0                     0
        -1          3  1600                  4096  9075     0      0 201000 200000 200000 200000          0          0 1764364462                     0                     0
`
	sem := "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n         0          1   600          1     0     0     0     0          0 1764364462\n"
	msg := "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n"
	for _, c := range []struct {
		kind, in string
		want     []nsstate.IPCObject
	}{
		{"shm", shm, []nsstate.IPCObject{{Kind: "shm", Key: 1659510022, ID: 0, Perms: 0o644, UID: 200000}, {Kind: "shm", Key: -1, ID: 3, Perms: 0o1600, UID: 201000}}},
		{"sem", sem, []nsstate.IPCObject{{Kind: "sem", Key: 0, ID: 1, Perms: 0o600, UID: 0}}},
		{"msg", msg, nil},
	} {
		got, err := parseSysvipc(c.kind, []byte(c.in))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, %v; want %+v", c.kind, got, err, c.want)
		}
	}
	for _, bad := range []struct{ kind, in string }{
		{"pipe", msg},
		{"shm", "key perms uid\n"},                  // no shmid column
		{"sem", "key semid perms uid\n1 2\n"},       // short line
		{"sem", "key semid perms uid\n1 2 999 0\n"}, // perms not octal
		{"sem", "key semid perms uid\n1 -2 600 0\n"},
		{"shm", "key key shmid perms uid\n1 2 600 0\n"}, // a repeated column name moves the uid column past the line's end
	} {
		if got, err := parseSysvipc(bad.kind, []byte(bad.in)); err == nil {
			t.Errorf("parseSysvipc(%s, %q) = %+v, want an error", bad.kind, bad.in, got)
		}
	}
}

func TestParseTimensOffsets(t *testing.T) {
	for _, c := range []struct {
		in   string
		want nsstate.TimeOffsets
	}{
		{"monotonic        3600         0\nboottime            0         0\n", nsstate.TimeOffsets{Monotonic: nsstate.Offset{Sec: 3600}}},
		{"monotonic -5 500\nboottime 100 999999999\n", nsstate.TimeOffsets{Monotonic: nsstate.Offset{Sec: -5, Nsec: 500}, Boottime: nsstate.Offset{Sec: 100, Nsec: 999999999}}},
		{"1 7 0\n7 9 0\n", nsstate.TimeOffsets{Monotonic: nsstate.Offset{Sec: 7}, Boottime: nsstate.Offset{Sec: 9}}},
	} {
		got, err := parseTimensOffsets([]byte(c.in))
		if err != nil || *got != c.want {
			t.Errorf("parseTimensOffsets(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"realtime 1 0\n", "monotonic 1\n", "monotonic 1 1000000000\n", "boottime x 0\n", "monotonic 1 -1\n"} {
		if got, err := parseTimensOffsets([]byte(bad)); err == nil {
			t.Errorf("parseTimensOffsets(%q) = %+v, want an error", bad, got)
		}
	}
}

func TestParseCgroup(t *testing.T) {
	in := "12:pids:/lab/7\n1:name=systemd:/x:y\n0::/lab/7/sub\n"
	got, err := parseCgroup([]byte(in))
	want := []cgroupLine{{"12", "pids", "/lab/7"}, {"1", "name=systemd", "/x:y"}, {"0", "", "/lab/7/sub"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
	if l, _ := pickCgroup(got); l.Hierarchy != "0" {
		t.Errorf("pickCgroup prefers %+v, want the 0:: line", l)
	}
	if l, _ := pickCgroup(got[:2]); l.Controllers != "pids" {
		t.Errorf("pickCgroup without v2 picks %+v, want pids", l)
	}
	if l, _ := pickCgroup(got[1:2]); l.Controllers != "name=systemd" {
		t.Errorf("pickCgroup of one line picks %+v", l)
	}
	if _, ok := pickCgroup(nil); ok {
		t.Error("pickCgroup(nil) found a line")
	}
	for _, bad := range []string{"0:\n", "0::\n", "::/x\n", "0::x\n", "garbage\n"} {
		if got, err := parseCgroup([]byte(bad)); err == nil {
			t.Errorf("parseCgroup(%q) = %+v, want an error", bad, got)
		}
	}
}

func TestRelativeCgroup(t *testing.T) {
	for _, c := range []struct{ path, root, want string }{
		{"/lab/7", "/lab/7", "/"},
		{"/lab/7/sub/x", "/lab/7", "/sub/x"},
		{"/lab/70", "/lab/7", "/../70"},
		{"/other", "/lab/7", "/../../other"},
		{"/lab", "/lab/7", "/.."},
		{"/", "/lab/7", "/../.."},
		{"/any", "/", "/any"},
	} {
		if got := relativeCgroup(c.path, c.root); got != c.want {
			t.Errorf("relativeCgroup(%q, %q) = %q, want %q", c.path, c.root, got, c.want)
		}
	}
}

func TestSplitCmdline(t *testing.T) {
	for in, want := range map[string][]string{
		"sleep\x001000\x00": {"sleep", "1000"},
		"":                  {},
		"\x00":              {},
		"a\x00\x00b\x00":    {"a", "", "b"},
		"set proc title":    {"set proc title"},
	} {
		if got := splitCmdline([]byte(in)); !reflect.DeepEqual(got, want) {
			t.Errorf("splitCmdline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseNSLink(t *testing.T) {
	for in, want := range map[string]uint64{"pid:[4026532001]": 4026532001, "user:[1]": 1, "x:[18446744073709551615]": 1<<64 - 1} {
		if got, ok := parseNSLink([]byte(in)); !ok || got != want {
			t.Errorf("parseNSLink(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "pid:[]", "[1]", "pid:4026532001", "pid:[12a]", "pid:[18446744073709551616]", "pid:[1"} {
		if got, ok := parseNSLink([]byte(bad)); ok {
			t.Errorf("parseNSLink(%q) = %d, want failure", bad, got)
		}
	}
}

func TestParseNetlink(t *testing.T) {
	// The kernel's own answer for this process's network namespace: lo is
	// always there, with index 1.
	b, err := syscall.NetlinkRIB(syscall.RTM_GETLINK, syscall.AF_UNSPEC)
	if err != nil {
		t.Fatal(err)
	}
	links, err := parseLinks(b)
	if err != nil || links["lo"] == nil || links["lo"].index != 1 {
		t.Fatalf("links %v, %v; want lo at index 1", links, err)
	}
	if b, err = syscall.NetlinkRIB(syscall.RTM_GETADDR, syscall.AF_UNSPEC); err != nil {
		t.Fatal(err)
	}
	if err := parseAddrs(b, links); err != nil {
		t.Fatal(err)
	}
	if links["lo"].up && !slices.Contains(links["lo"].addrs, "127.0.0.1/8") {
		t.Errorf("lo is up without 127.0.0.1/8: %+v", links["lo"])
	}
	if b, err = syscall.NetlinkRIB(syscall.RTM_GETLINK, syscall.AF_UNSPEC); err != nil {
		t.Fatal(err)
	}
	if _, err := parseLinks(b[:20]); err == nil {
		t.Error("parseLinks accepted a message cut short")
	}
}
