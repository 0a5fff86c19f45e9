//go:build linux

package nsengine

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A v1/v2 hybrid like the project's machines: the controllers on v1, an
// empty unified hierarchy.
const hybridMountinfo = `22 27 0:21 / /proc rw,relatime - proc proc rw
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
37 31 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`

const hybridSelf = `8:pids:/
7:blkio:/
4:memory:/process_api/abc
1:cpu:/
0::/
`

func TestChooseCgroupsV1(t *testing.T) {
	r, err := chooseCgroups([]byte(hybridMountinfo), []byte(hybridSelf), "nslab")
	if err != nil {
		t.Fatal(err)
	}
	want := &cgroupRoot{parents: []string{
		"/sys/fs/cgroup/pids/nslab", "/sys/fs/cgroup/memory/process_api/abc/nslab", "/sys/fs/cgroup/cpu/nslab",
		"/sys/fs/cgroup/blkio/nslab",
		"/sys/fs/cgroup/unified/nslab",
	}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got %+v, want %+v", r, want)
	}
}

func TestChooseCgroupsV2(t *testing.T) {
	// A unified hierarchy that offers the controllers at the server's
	// cgroup wins; its mount point is a folder of the test.
	root := t.TempDir()
	own := filepath.Join(root, "system.slice", "nslab.service")
	if err := os.MkdirAll(own, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(own, "cgroup.controllers"), []byte("cpuset cpu io memory pids\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mountinfo := "30 1 0:26 / " + root + " rw - cgroup2 cgroup2 rw\n"
	r, err := chooseCgroups([]byte(mountinfo), []byte("0::/system.slice/nslab.service\n"), "nslab")
	if err != nil {
		t.Fatal(err)
	}
	want := &cgroupRoot{v2: true, parents: []string{filepath.Join(own, "nslab")}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got %+v, want %+v", r, want)
	}
	// Without the controllers there, and no v1: an error that names them.
	os.WriteFile(filepath.Join(own, "cgroup.controllers"), []byte("cpu io\n"), 0o644)
	if _, err := chooseCgroups([]byte(mountinfo), []byte("0::/system.slice/nslab.service\n"), "nslab"); err == nil {
		t.Error("no controllers anywhere: no error")
	}
	// Without io, a lab's disk I/O could not be limited: not chosen.
	os.WriteFile(filepath.Join(own, "cgroup.controllers"), []byte("cpuset cpu memory pids\n"), 0o644)
	if _, err := chooseCgroups([]byte(mountinfo), []byte("0::/system.slice/nslab.service\n"), "nslab"); err == nil || !strings.Contains(err.Error(), "blkio") {
		t.Errorf("no io controller: %v, want an error that names it", err)
	}
}

func TestCgroupMountDir(t *testing.T) {
	for _, c := range []struct{ point, root, path, want string }{
		{"/sys/fs/cgroup/pids", "/", "/a/b", "/sys/fs/cgroup/pids/a/b"},
		// In a container, the mount's root is the container's cgroup.
		{"/sys/fs/cgroup/pids", "/docker/x", "/docker/x/a", "/sys/fs/cgroup/pids/a"},
		// A path outside the mount's root cannot be reached: the root.
		{"/sys/fs/cgroup/pids", "/docker/x", "/other", "/sys/fs/cgroup/pids"},
	} {
		if got := (cgroupMount{point: c.point, root: c.root}).dir(c.path); got != c.want {
			t.Errorf("%+v: got %s", c, got)
		}
	}
}

func TestUnescapeMountinfo(t *testing.T) {
	for in, want := range map[string]string{
		`/plain`: "/plain", `/with\040space`: "/with space", `/tab\011x`: "/tab\tx",
		`/bad\09`: `/bad\09`, `/end\04`: `/end\04`,
	} {
		if got := unescapeMountinfo(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func FuzzCgroupMounts(f *testing.F) {
	f.Add([]byte(hybridMountinfo), []byte(hybridSelf))
	f.Add([]byte("1 2 3 - cgroup\n - - -"), []byte("::\n:a,b:/x"))
	f.Fuzz(func(t *testing.T, mountinfo, self []byte) {
		r, err := chooseCgroups(mountinfo, self, "nslab")
		if err == nil && len(r.parents) == 0 {
			t.Error("no error and no cgroup folders")
		}
	})
}
