//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Idmapped system folders. The machine's system files belong to its root,
// which is none of a lab's IDs, so a lab shows them as owned by nobody
// (65534). An idmapped mount shows a file system's IDs through a user
// namespace: through the lab's, the machine's root reads as the lab's root.
// Only the machine's root may idmap the machine's file systems, and only
// a mount that no mount namespace shows yet, so the two sides work
// together while the lab starts, before any lab process exists:
//
//  1. init clones the locked bind of a folder into a mount of its own
//     that is in no mount namespace (open_tree) and sends it to the
//     engine (opIdmap);
//  2. the engine checks it is that locked, read-only bind and idmaps it
//     through the lab's user namespace, read-only, nosuid, nodev
//     (idmapLower) and replies;
//  3. init attaches it in the layers' folder of the lab's root tmpfs (see
//     labview.go), uses it as the lower layer of the folder's overlay and
//     closes it; the pivot detaches it with the machine's old root, and
//     from then on only the overlay holds it, where nothing reaches.
//
// /etc is not idmapped: through an idmap the lab's root would own, and so
// read, the machine's files there that only its root may read (private
// keys, sudoers). /etc's curated files are the lab root's own anyway.

// Operations of the idmap exchange.
const (
	opIdmap    = "idmap"    // init → engine: idmap this clone of a locked bind (fd), named Dir
	opIdmapped = "idmapped" // engine → init: done
)

// maxIdmapRequests bounds the idmap requests of one lab's start: one per
// folder of the root at most.
const maxIdmapRequests = 64

// idmapLower is the engine's side: it idmaps the clone init sent of the
// locked bind named name through the lab's user namespace. It stops the
// idmapped mount from being anything but a read-only view of that bind
// (a clone of anything else, or of something writable, is refused) and
// the lab's root from writing through it (read-only; the clone of a
// locked bind keeps the lock, so the lab cannot clear it).
func (e *Engine) idmapLower(initPID int, name string, f *os.File) error {
	if name == "" || name == "etc" || strings.ContainsAny(name, "/\x00") || name == "." || name == ".." {
		return fmt.Errorf("idmap %q: not a system folder", name)
	}
	var want, got unix.Stat_t
	if err := unix.Lstat(filepath.Join(e.binds.dir, name), &want); err != nil {
		return fmt.Errorf("idmap %s: %w", name, err)
	}
	if err := unix.Fstat(int(f.Fd()), &got); err != nil {
		return fmt.Errorf("idmap %s: %w", name, err)
	}
	if want.Mode&unix.S_IFMT != unix.S_IFDIR || got.Dev != want.Dev || got.Ino != want.Ino {
		return fmt.Errorf("idmap %s: the mount sent is not the engine's bind of it", name)
	}
	var st unix.Statfs_t
	if err := unix.Fstatfs(int(f.Fd()), &st); err != nil {
		return fmt.Errorf("idmap %s: %w", name, err)
	}
	if st.Flags&unix.ST_RDONLY == 0 {
		return fmt.Errorf("idmap %s: the mount sent is writable", name)
	}
	userns, err := unix.Open("/proc/"+strconv.Itoa(initPID)+"/ns/user", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("idmap %s: lab user namespace: %w", name, err)
	}
	defer unix.Close(userns)
	attr := &unix.MountAttr{
		Attr_set:  unix.MOUNT_ATTR_IDMAP | unix.MOUNT_ATTR_RDONLY | unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NODEV,
		Userns_fd: uint64(userns),
	}
	if err := unix.MountSetattr(int(f.Fd()), "", unix.AT_EMPTY_PATH|unix.AT_RECURSIVE, attr); err != nil {
		if err == unix.EINVAL || err == unix.EOPNOTSUPP || err == unix.ENOSYS {
			return fmt.Errorf("idmap %s: %w: %w", name, errIdmapUnsupported, err)
		}
		return fmt.Errorf("idmap %s: %w", name, err)
	}
	return nil
}

// errIdmapUnsupported is a file system (or kernel) without idmapped
// mounts. It costs the lab nothing but looks: its system files show as
// owned by nobody, as they did before idmapping, which gives the lab less,
// not more. Every other error of idmapLower stops the lab.
var errIdmapUnsupported = errors.New("idmapped mounts unsupported here; system files show as owned by nobody")

// serveIdmap answers one opIdmap from a starting lab's init.
func (e *Engine) serveIdmap(ctl *net.UnixConn, initPID int, m message, files []*os.File) error {
	if len(files) != 1 {
		return errors.New("idmap: want one mount")
	}
	if err := e.idmapLower(initPID, m.Dir, files[0]); err != nil {
		if !errors.Is(err, errIdmapUnsupported) {
			return err
		}
		e.idmapWarn.Do(func() { e.log.Warn("labs show the machine's system files as owned by nobody", "err", err) })
		return send(ctl, message{Op: opIdmapped, Err: err.Error()})
	}
	return send(ctl, message{Op: opIdmapped})
}

// idmapRequest is init's side: it clones the locked bind at path (which
// init's mount namespace holds, locked) into a mount of no namespace, has
// the engine idmap it, and returns the clone's descriptor, or -1 where the
// file system has no idmapped mounts.
func (in *labInit) idmapRequest(name, path string) (int, error) {
	fd, err := unix.OpenTree(unix.AT_FDCWD, path, unix.OPEN_TREE_CLONE|unix.OPEN_TREE_CLOEXEC)
	if err != nil {
		return -1, fmt.Errorf("idmap %s: open_tree: %w", name, err)
	}
	if err := send(in.ctl, message{Op: opIdmap, Dir: name}, fd); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("idmap %s: %w", name, err)
	}
	m, files, err := in.rcv.receive()
	closeFiles(files)
	if err == nil && m.Op != opIdmapped {
		err = fmt.Errorf("engine said %q %s", m.Op, m.Err)
	}
	if err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("idmap %s: %w", name, err)
	}
	if m.Err != "" {
		unix.Close(fd) // unsupported: the overlay takes the bind as it is
		return -1, nil
	}
	return fd, nil
}
