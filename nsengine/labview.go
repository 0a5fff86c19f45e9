//go:build linux

package nsengine

import (
	"github.com/nslab/nslab/nsstate"

	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// The lab's own view of the system folders. Each folder of the root is an
// overlay mounted by init in the lab's user namespace, over the engine's
// locked bind of it: an overlay is a superblock of its own, with inodes of
// its own, so what one lab watches (inotify, fanotify) is its own view and
// never the machine's inodes that every lab and the machine's root use.
// /etc gets a writable layer on the lab's tmpfs, which starts with the lab
// host's curated files (nsstate.LabEtcFiles): its own users, hostname,
// hosts, machine id and resolver, nothing of the real machine's.
//
// The writable layers live on a small tmpfs of their own that the lab
// cannot reach: init mounts it at stage first, and the root's tmpfs over
// it; the pivot detaches it with the machine's old root. After that only
// the overlays lead to it. (A folder of the root's tmpfs, hidden by binding
// another over the tmpfs, would show in every bind's mountinfo root.)

// etcLayerBytes bounds the layers' tmpfs, which holds what the lab writes
// to its /etc: the lab's files elsewhere have Limits.TmpfsBytes.
const etcLayerBytes = 16 << 20

// labView is a root under construction: the descriptor of its layers'
// tmpfs, which the root's covers.
type labView struct {
	layers int // O_PATH descriptor of the layers' tmpfs
	// idmapped holds where the idmapped clones of locked binds are
	// attached, in the layers' tmpfs, by name (see idmapview.go).
	idmapped map[string]string
}

// newLabView mounts the layers' tmpfs at stage, before the root's tmpfs
// covers it. It stops the lab from reaching its overlays' writable
// layers and work folders other than through the overlays (writing a
// layer behind its overlay's back is undefined behaviour of overlayfs),
// and bounds what the lab writes to /etc.
func newLabView(size int64) (*labView, error) {
	if err := mount("tmpfs", stage, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, tmpfsOptions(0o700, min(size, etcLayerBytes))); err != nil {
		return nil, fmt.Errorf("lab view: %w", err)
	}
	if err := os.Mkdir(filepath.Join(stage, "empty"), 0o755); err != nil {
		return nil, fmt.Errorf("lab view: %w", err)
	}
	fd, err := unix.Open(stage, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("lab view: %w", err)
	}
	return &labView{layers: fd, idmapped: map[string]string{}}, nil
}

func (v *labView) close() { unix.Close(v.layers) }

// idmapLower has the engine idmap the locked bind of a system folder
// (not /etc, nor a file or symlink) for the folder's overlay to use.
func (v *labView) idmapLower(name, path string, idmap func(name, path string) (int, error)) error {
	if name == "etc" {
		return nil
	}
	if st, err := os.Lstat(path); err != nil || !st.IsDir() {
		return nil
	}
	fd, err := idmap(name, path)
	if err != nil || fd < 0 {
		return err
	}
	defer unix.Close(fd)
	// Attached in the layers' folder: overlayfs takes a lower layer from
	// init's own mount namespace (a detached one only from Linux 6.15 on),
	// and the pivot detaches it from there with the machine's old root.
	target := v.layer("lower-" + name)
	if err := os.Mkdir(target, 0o755); err != nil {
		return fmt.Errorf("idmap %s: %w", name, err)
	}
	if err := unix.MoveMount(fd, "", unix.AT_FDCWD, target, unix.MOVE_MOUNT_F_EMPTY_PATH); err != nil {
		return fmt.Errorf("idmap %s: attach: %w", name, err)
	}
	v.idmapped[name] = target
	return nil
}

// layer is the path of a name in the layers' folder, through its
// descriptor.
func (v *labView) layer(name string) string {
	return "/proc/self/fd/" + strconv.Itoa(v.layers) + "/" + name
}

// viewEntry puts one top-level entry of the locked binds into the new
// root: a symlink as a symlink, a folder as an overlay of the lab's own
// (read-only, but /etc), a file as a read-only bind.
func (v *labView) viewEntry(from, to, name, hostname string) error {
	st, err := os.Lstat(from)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return bindEntry(from, to)
	}
	if err := os.Mkdir(to, 0o755); err != nil {
		return err
	}
	if name == "etc" {
		return v.writableEtc(from, to, hostname)
	}
	lower := from
	if p, ok := v.idmapped[name]; ok {
		lower = p
	}
	return overlaySystemFolder(lower, v.layer("empty"), to)
}

// overlaySystemFolder mounts a read-only overlay of a locked bind at to.
// It stops a lab from spying on other labs and on the machine through
// shared inodes: an inotify or fanotify watch set in the lab is on the
// overlay's inodes, which no other lab and no process of the machine
// uses. Without a writable layer the overlay's superblock is read-only,
// which no remount changes, and nosuid, nodev are set for good measure.
// The kernel wants two lower layers when there is no writable one: the
// second is an empty folder.
func overlaySystemFolder(lower, empty, to string) error {
	opts := "lowerdir=" + lower + ":" + empty
	return mount("overlay", to, "overlay", unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV, opts)
}

// writableEtc mounts the lab's /etc: an overlay of the locked bind of the
// machine's /etc under a writable layer on the lab's tmpfs that starts
// with the curated files. It stops the lab from reading the real machine's
// users, hostname, hosts, machine id and resolver (the curated files
// cover them), and gives the lab host an /etc of its own that useradd,
// passwd and lessons may change, in the lab only.
func (v *labView) writableEtc(lower, to, hostname string) error {
	for _, d := range []string{"etc", "etc.work"} {
		if err := os.Mkdir(filepath.Join("/proc/self/fd", strconv.Itoa(v.layers), d), 0o755); err != nil {
			return fmt.Errorf("etc layer: %w", err)
		}
	}
	upper := v.layer("etc")
	for _, f := range nsstate.LabEtcFiles() {
		rel, ok := strings.CutPrefix(f.Path, "/etc/")
		if !ok {
			continue
		}
		if rel == "hostname" {
			f.Content = hostname + "\n"
		}
		if err := writeLabFile(filepath.Join(upper, rel), f); err != nil {
			return fmt.Errorf("etc layer: %w", err)
		}
	}
	if err := etcBackupsAndWhiteouts(upper); err != nil {
		return fmt.Errorf("etc layer: %w", err)
	}
	// userxattr: the kernel lets overlayfs keep its marks only in user.*
	// extended attributes inside a user namespace.
	opts := "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + v.layer("etc.work") + ",userxattr"
	return mount("overlay", to, "overlay", unix.MS_NOSUID|unix.MS_NODEV, opts)
}

// shadowFiles are the files the shadow tools keep a backup of (NAME-)
// and lock with .pwd.lock.
var shadowFiles = []string{"passwd", "group", "shadow", "gshadow", "subuid", "subgid"}

// machineFiles are files of /etc that describe the machine itself (its
// disks, its mail name, its host id): hidden from the lab by a whiteout.
var machineFiles = []string{"fstab", "crypttab", "mailname", "hostid", "ssh"}

// etcBackupsAndWhiteouts completes the etc layer: the shadow tools'
// backups (NAME-) as copies of the curated files, as a fresh install has
// them, and their lock file, so that none of the machine's shows through
// and useradd can lock; and whiteouts over machineFiles. A whiteout is
// overlayfs's mark for a name removed from the lower layer: a character
// device 0:0, which the kernel lets a user namespace's root make.
func etcBackupsAndWhiteouts(upper string) error {
	for _, n := range shadowFiles {
		b, err := os.ReadFile(filepath.Join(upper, n))
		if err != nil {
			return err
		}
		var st unix.Stat_t
		if err := unix.Stat(filepath.Join(upper, n), &st); err != nil {
			return err
		}
		f := nsstate.LabFile{Mode: fs.FileMode(st.Mode & 0o777), UID: int(st.Uid), GID: int(st.Gid), Content: string(b)}
		if err := writeLabFile(filepath.Join(upper, n+"-"), f); err != nil {
			return err
		}
	}
	if err := writeLabFile(filepath.Join(upper, ".pwd.lock"), nsstate.LabFile{Mode: 0o600}); err != nil {
		return err
	}
	for _, n := range machineFiles {
		if err := unix.Mknod(filepath.Join(upper, n), unix.S_IFCHR, 0); err != nil {
			return fmt.Errorf("whiteout %s: %w", n, err)
		}
	}
	return nil
}

// writeLabFile makes one file or folder of nsstate's lab host at path,
// owned as it says (init is the lab's root, so lab IDs are its to give).
func writeLabFile(path string, f nsstate.LabFile) error {
	perm := uint32(f.Mode.Perm())
	if f.Mode.IsDir() {
		if err := os.Mkdir(path, 0o700); err != nil && !os.IsExist(err) {
			return err
		}
	} else if err := writeFileDirect(path, []byte(f.Content), 0o600); err != nil {
		return err
	}
	if err := unix.Lchown(path, f.UID, f.GID); err != nil {
		return fmt.Errorf("chown %s: %w", path, err)
	}
	// After chown, which clears setgid bits; and not filtered by the umask.
	if err := unix.Chmod(path, perm); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	return nil
}

// labHostFiles makes the lab host's files outside /etc (the student's
// home) in the new root.
func labHostFiles() error {
	for _, f := range nsstate.LabEtcFiles() {
		if strings.HasPrefix(f.Path, "/etc/") {
			continue
		}
		if err := writeLabFile(filepath.Join(stage, f.Path), f); err != nil {
			return fmt.Errorf("lab host files: %w", err)
		}
	}
	return nil
}

// labVar makes the lab's /var and /opt on its tmpfs, as a Debian host has
// them: /var/run and /var/lock lead into /run.
func labVar() error {
	for _, d := range []string{"var/lib", "var/log", "var/cache", "var/spool", "var/mail", "var/backups", "var/local", "opt", "run/lock"} {
		if err := os.MkdirAll(filepath.Join(stage, d), 0o755); err != nil && !inReadOnlyRootFS(err) {
			return fmt.Errorf("lab /var: %w", err)
		}
	}
	for link, target := range map[string]string{"var/run": "/run", "var/lock": "/run/lock"} {
		if err := os.Symlink(target, filepath.Join(stage, link)); err != nil && !inReadOnlyRootFS(err) {
			return fmt.Errorf("lab /var: %w", err)
		}
	}
	return nil
}

// inReadOnlyRootFS reports an error of making something a RootFS has
// already, or has in a read-only folder: left as the RootFS has it.
func inReadOnlyRootFS(err error) bool {
	return errors.Is(err, unix.EROFS) || errors.Is(err, os.ErrExist)
}

// labSys mounts a sysfs of the lab's network namespace on /sys, twice
// (and a bind of it over it), while the machine's own /sys is still visible:
// the kernel mounts a sysfs in a user namespace only where one is fully
// visible already. `ip netns exec` unmounts /sys in a mount namespace of
// its own and mounts a sysfs of the other network namespace there, which
// the kernel allows only while another sysfs stays: the lower one.
func labSys() error {
	p := filepath.Join(stage, "sys")
	if err := os.Mkdir(p, 0o555); err != nil {
		return err
	}
	if err := mount("sysfs", p, "sysfs", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return err
	}
	// A bind, not a second mount: the kernel refuses one superblock
	// mounted twice on one place.
	return mount(p, p, "", unix.MS_BIND, "")
}

// labPingGroups lets every group of the lab send ICMP echo through the
// kernel's ping sockets in the lab's network namespace, as a desktop
// Debian does for everyone: ping needs no CAP_NET_RAW then, which
// no_new_privs keeps ping's file capability from giving the student. The
// range is the lab's 65536 group IDs; the kernel refuses IDs the lab does
// not map. It only concerns the lab's own network namespace (loopback).
func labPingGroups() error {
	return writeFileDirect("/proc/sys/net/ipv4/ping_group_range", []byte("0 "+strconv.Itoa(nsstate.LabIDCount-1)), 0)
}
