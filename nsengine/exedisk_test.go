//go:build linux

package nsengine

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nslab/nslab/internal/testenv"
)

// exeDiskEnv runs TestAttackDiskBandwidthThroughServerBinary's attack in
// the copy of the test binary that its disk holds.
const exeDiskEnv = "NSLAB_EXE_DISK_ATTACK"

// Escape tried: read the disk the server's binary is on as fast as it
// goes, through /proc/1/exe (the lab's root may ptrace its init, so it may
// open init's binary, which is the server's), where that disk is not one
// the system folders are on. The test makes such a disk (a loop device
// with an ext4 file system), runs a copy of this test binary from it as
// the server, and has a lab read /proc/1/exe with O_DIRECT.
func TestAttackDiskBandwidthThroughServerBinary(t *testing.T) {
	if os.Getenv(exeDiskEnv) == "1" {
		readExeDisk(t)
		return
	}
	testenv.RequireRoot(t)
	for _, tool := range []string{"mkfs.ext4", "losetup", "mount", "umount"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Missing(t, tool, "install e2fsprogs, mount and util-linux")
		}
	}
	dir := t.TempDir()
	img, mnt := filepath.Join(dir, "disk.img"), filepath.Join(dir, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	sh := func(name string, args ...string) string {
		t.Helper()
		var stderr strings.Builder
		c := exec.Command(name, args...)
		c.Stderr = &stderr
		out, err := c.Output()
		if err != nil {
			t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, stderr.String())
		}
		return strings.TrimSpace(string(out))
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(exe)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(img)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate((2*st.Size()>>20 + 64) << 20) // whole MiBs, as a loop device wants
	f.Close()
	sh("mkfs.ext4", "-q", "-F", img)
	b, err := exec.Command("losetup", "--find", "--show", img).Output()
	if err != nil {
		testenv.Missing(t, "a free loop device", "losetup --find failed ("+err.Error()+"): run where /dev/loop-control and loop devices exist")
	}
	loop := strings.TrimSpace(string(b))
	t.Cleanup(func() { exec.Command("losetup", "-d", loop).Run() })
	sh("mount", loop, mnt)
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	copyExe := filepath.Join(mnt, filepath.Base(exe))
	src, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(copyExe, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(copyExe, "-test.run=^TestAttackDiskBandwidthThroughServerBinary$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), exeDiskEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("the server run from %s (%s):\n%s", loop, copyExe, out)
	if err != nil {
		t.Errorf("the attack from the server on %s failed: %v (see its output above)", loop, err)
	}
}

// readExeDisk is the attack, in the server whose binary is on its own
// disk: the machine reads the binary with O_DIRECT first, which must go
// well past a lab's limit (else the test could not tell), then the lab
// reads it through /proc/1/exe, which must not.
func readExeDisk(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	lim := float64(e.cfg.Limits.DiskBytesPerSecond)
	const bs, seconds = 1 << 20, 2
	count := int(seconds * lim / bs)
	n, d, err := readDisk(e.exe.Name(), bs, count, "direct")
	if err != nil {
		t.Fatal(err)
	}
	machine := float64(n) / d.Seconds()
	if machine < 3*lim {
		t.Fatalf("the real machine reads its binary at %.1f MB/s, less than 3 times a lab's limit of %.1f MB/s: the test cannot tell a limited lab from an unlimited one", machine/1e6, lim/1e6)
	}
	out := runAttack(t, l, fmt.Sprintf("h read-disk /proc/1/exe %d %d direct", bs, count))
	var ln, lns int64
	if _, err := fmt.Sscanf(out, "%d %d", &ln, &lns); err != nil || ln != n {
		t.Fatalf("read in the lab: %q, want %d bytes read and a time", out, n)
	}
	lab := float64(ln) / time.Duration(lns).Seconds()
	t.Logf("O_DIRECT reads of the server's binary: the machine %.1f MB/s, the lab %.1f MB/s (limit %.1f MB/s)", machine/1e6, lab/1e6, lim/1e6)
	if lab > 1.5*lim {
		t.Errorf("ATTACK WORKED: the lab read the server's binary's disk through /proc/1/exe at %.1f MB/s, past its limit of %.1f MB/s", lab/1e6, lim/1e6)
	}
	afterAttack(t, e, other)
}
