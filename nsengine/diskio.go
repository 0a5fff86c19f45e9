//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Disk I/O limits. A lab reads the machine's disks through its read-only
// binds of the system folders, and nothing charges that to a memory or CPU
// limit: O_DIRECT reads of a big file in /usr ran at 1.1–1.6 GB/s and took
// the real machine's 4K random reads from 61 to 4 MB/s. So each lab is
// throttled on every block device behind those binds, found once per
// engine from the mountinfo of its locked binds: blkio.throttle.* on
// cgroup v1, io.max on v2. A lab has no other way to the disks: its
// writable files are a tmpfs, its swap is 0, its /dev has no disk.
//
// io.weight (v2) and blkio.bfq.weight (v1) are left at the kernel's
// default: they divide a contended disk among sibling cgroups, and a
// lab's siblings are other labs, which should weigh the same anyway; what
// keeps a lab from crowding out the machine is its io.max.

// blockDevice is a block device by its device number.
type blockDevice struct{ major, minor uint32 }

func (d blockDevice) String() string { return fmt.Sprintf("%d:%d", d.major, d.minor) }

// mountEntry is what the engine needs of a line of /proc/PID/mountinfo.
type mountEntry struct {
	dev    blockDevice // st_dev of the mount's files
	point  string
	fstype string
	source string
}

// mountsUnder lists the mounts at dir and below it, from the text of a
// /proc/PID/mountinfo.
func mountsUnder(mountinfo []byte, dir string) []mountEntry {
	var out []mountEntry
	for _, line := range strings.Split(string(mountinfo), "\n") {
		a, b, ok := mountinfoFields(line)
		if !ok {
			continue
		}
		point := unescapeMountinfo(a[4])
		if point != dir && !strings.HasPrefix(point, dir+"/") {
			continue
		}
		maj, min, ok := strings.Cut(a[2], ":")
		ma, err1 := strconv.ParseUint(maj, 10, 32)
		mi, err2 := strconv.ParseUint(min, 10, 32)
		if !ok || err1 != nil || err2 != nil {
			continue
		}
		out = append(out, mountEntry{
			dev: blockDevice{uint32(ma), uint32(mi)}, point: point,
			fstype: b[0], source: unescapeMountinfo(b[1]),
		})
	}
	return out
}

// memoryBacked are file systems with no disk beneath them.
var memoryBacked = map[string]bool{"tmpfs": true, "ramfs": true, "devtmpfs": true, "proc": true, "sysfs": true}

// bindDisks finds the block devices behind the mounts at and under dir
// (the engine's locked binds): the whole disks to throttle a lab on. It
// also lists the mounts with a disk beneath them that it could not name
// (an overlay, a network file system), through which a lab's disk I/O is
// not limited.
func bindDisks(mountinfo []byte, dir string) (disks []blockDevice, unlimited []string) {
	for _, m := range mountsUnder(mountinfo, dir) {
		d, ok := diskOf(m)
		switch {
		case ok:
			if !slices.Contains(disks, d) {
				disks = append(disks, d)
			}
		case !memoryBacked[m.fstype]:
			unlimited = append(unlimited, m.point+" ("+m.fstype+" "+m.source+")")
		}
	}
	return disks, unlimited
}

// diskOf finds the whole disk a mount's files are on: its device number if
// that is a block device (ext4, xfs), else its source if that is a block
// device node (btrfs reports an anonymous device number). Partitions give
// their disk: blk-throttle takes rules for whole disks only.
func diskOf(m mountEntry) (blockDevice, bool) {
	if d, ok := wholeDisk(m.dev); ok {
		return d, true
	}
	if !strings.HasPrefix(m.source, "/dev/") {
		return blockDevice{}, false
	}
	var st unix.Stat_t
	if err := unix.Stat(m.source, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFBLK {
		return blockDevice{}, false
	}
	return wholeDisk(blockDevice{unix.Major(st.Rdev), unix.Minor(st.Rdev)})
}

// wholeDisk is the disk of a block device, from sysfs: the device itself,
// or for a partition the disk that holds it. false if d is no block device.
func wholeDisk(d blockDevice) (blockDevice, bool) {
	sys, err := filepath.EvalSymlinks("/sys/dev/block/" + d.String())
	if err != nil {
		return blockDevice{}, false
	}
	if _, err := os.Stat(filepath.Join(sys, "partition")); err == nil {
		sys = filepath.Dir(sys)
	}
	b, err := os.ReadFile(filepath.Join(sys, "dev"))
	if err != nil {
		return blockDevice{}, false
	}
	maj, min, _ := strings.Cut(strings.TrimSpace(string(b)), ":")
	ma, err1 := strconv.ParseUint(maj, 10, 32)
	mi, err2 := strconv.ParseUint(min, 10, 32)
	if err1 != nil || err2 != nil {
		return blockDevice{}, false
	}
	return blockDevice{uint32(ma), uint32(mi)}, true
}

// findBindDisks reads the server's mountinfo for bindDisks.
func findBindDisks(dir string) ([]blockDevice, []string, error) {
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil, nil, fmt.Errorf("disk limits: %w", err)
	}
	disks, unlimited := bindDisks(mountinfo, dir)
	return disks, unlimited, nil
}

// cgroupSetting is one value written to one cgroup file.
type cgroupSetting struct{ file, value string }

// diskIOSettings are the files and values that limit a lab's disk I/O on
// disks: one write per rule, as the kernel parses one rule per write.
func diskIOSettings(v2 bool, disks []blockDevice, lim Limits) []cgroupSetting {
	bps := strconv.FormatInt(lim.DiskBytesPerSecond, 10)
	iops := strconv.Itoa(lim.DiskIOPS)
	var set []cgroupSetting
	for _, d := range disks {
		if v2 {
			set = append(set, cgroupSetting{"io.max", fmt.Sprintf("%s rbps=%s wbps=%s riops=%s wiops=%s", d, bps, bps, iops, iops)})
			continue
		}
		set = append(set,
			cgroupSetting{"blkio.throttle.read_bps_device", d.String() + " " + bps},
			cgroupSetting{"blkio.throttle.write_bps_device", d.String() + " " + bps},
			cgroupSetting{"blkio.throttle.read_iops_device", d.String() + " " + iops},
			cgroupSetting{"blkio.throttle.write_iops_device", d.String() + " " + iops},
		)
	}
	return set
}

// limitDiskIO caps the lab's disk I/O on each disk behind its binds. It
// stops one lab from taking the machine's disk (and so the other labs'
// and the real machine's reads) with O_DIRECT or uncached reads of the
// system folders.
func (g *labCgroup) limitDiskIO(lim Limits) error {
	dir := g.dirs[0]
	if !g.v2 {
		dir = g.dirs[slices.Index(labControllers, "io")]
	}
	var errs []error
	for _, s := range diskIOSettings(g.v2, g.disks, lim) {
		if err := os.WriteFile(filepath.Join(dir, s.file), []byte(s.value), 0); err != nil {
			errs = append(errs, fmt.Errorf("cgroups: limit disk I/O: %s %q: %w", s.file, s.value, err))
		}
	}
	return errors.Join(errs...)
}

// addExeDisk adds the disk the server's own binary is on to disks, the
// disks to throttle labs on. It stops a lab from reading that disk as
// fast as it goes through /proc/1/exe: the lab's root may ptrace its
// init, so it may open init's binary, which is the server's, and read it
// with O_DIRECT, from a disk the binds need not be on (/opt, /srv, a
// second volume). A binary on a memory file system needs nothing; one
// whose disk cannot be named is reported, as a bind's is.
func addExeDisk(disks []blockDevice, exe *os.File) ([]blockDevice, string) {
	var st unix.Stat_t
	if err := unix.Fstat(int(exe.Fd()), &st); err != nil {
		return disks, exe.Name() + " (" + err.Error() + ")"
	}
	var sfs unix.Statfs_t
	if err := unix.Fstatfs(int(exe.Fd()), &sfs); err == nil && (sfs.Type == unix.TMPFS_MAGIC || sfs.Type == unix.RAMFS_MAGIC) {
		return disks, ""
	}
	d, ok := wholeDisk(blockDevice{unix.Major(st.Dev), unix.Minor(st.Dev)})
	if !ok {
		return disks, exe.Name()
	}
	if !slices.Contains(disks, d) {
		disks = append(disks, d)
	}
	return disks, ""
}
