//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Locked read-only binds. A read-only flag that a lab's init sets on a
// bind in the lab's own mount namespace, the lab's root may clear again
// (mount -o remount,rw,bind /usr): the lab's user namespace owns that
// mount namespace. The kernel locks the flag only on mounts that come
// into a mount namespace from a more privileged one, when a process makes
// a new user and mount namespace together (mount_namespaces(7): "locked
// when propagated from a more privileged to a less privileged mount
// namespace"), and a bind of a locked mount is locked too.
//
// So the engine makes the read-only binds on the server's side, once per
// engine, in a folder of its own under bindsRoot; each lab's init clones
// the server's mount namespace with them in it, locked, and binds them
// into its new root from there. They live as long as the engine, and the
// next engine removes those of an engine that crashed.

// bindsRoot holds each engine's folder of locked binds, named
// PID-RANDOM. It is the same for every StateDir, so that any engine
// removes what any crashed one left, and nothing is ever mounted under a
// test's temporary folder. Its mode lets the lab's init (a nobody on the
// real machine) reach the binds; they show only what the machine shows
// everyone anyway.
const bindsRoot = "/run/nslab-binds"

// lockedBinds is one engine's folder of read-only binds.
type lockedBinds struct {
	dir string
}

// prepareLockedBinds makes the engine's folder of read-only binds: the
// host's system folders, or a RootFS's entries (the lab's own ones left
// out). Symlinks are copied as symlinks. It stops the lab's root from
// making a bind writable again by remounting it, which would let a lab
// write the machine's files that its host IDs may write (any a careless
// machine leaves writable by everyone).
func prepareLockedBinds(rootFS string) (_ *lockedBinds, err error) {
	if err := os.MkdirAll(bindsRoot, 0o755); err != nil {
		return nil, fmt.Errorf("locked binds: %w", err)
	}
	b := &lockedBinds{dir: filepath.Join(bindsRoot, strconv.Itoa(os.Getpid())+"-"+randomHex(4))}
	if err := os.Mkdir(b.dir, 0o755); err != nil {
		return nil, fmt.Errorf("locked binds: %w", err)
	}
	defer func() {
		if err != nil {
			b.remove()
		}
	}()
	// A private mount of its own, so that the binds below neither
	// propagate to the machine's other mount namespaces nor receive
	// their mounts.
	if err := mount(b.dir, b.dir, "", unix.MS_BIND, ""); err != nil {
		return nil, fmt.Errorf("locked binds: %w", err)
	}
	if err := mount("", b.dir, "", unix.MS_PRIVATE, ""); err != nil {
		return nil, fmt.Errorf("locked binds: %w", err)
	}
	src, names := "/", systemFolders
	if rootFS != "" {
		src, names = rootFS, nil
		ents, err := os.ReadDir(rootFS)
		if err != nil {
			return nil, fmt.Errorf("locked binds: rootfs %s: %w", rootFS, err)
		}
		for _, e := range ents {
			if !labOwned[e.Name()] {
				names = append(names, e.Name())
			}
		}
	}
	for _, n := range names {
		if err := bindEntry(filepath.Join(src, n), filepath.Join(b.dir, n)); err != nil {
			return nil, fmt.Errorf("locked binds: %w", err)
		}
	}
	return b, nil
}

// remove unmounts the binds and removes the folder. Labs that still run
// keep their copies: their mount namespaces hold them.
func (b *lockedBinds) remove() error {
	ents, _ := os.ReadDir(b.dir)
	var errs []error
	for _, e := range ents {
		p := filepath.Join(b.dir, e.Name())
		if e.Type()&os.ModeSymlink != 0 {
			continue
		}
		if err := unix.Unmount(p, unix.MNT_DETACH|unix.UMOUNT_NOFOLLOW); err != nil && err != unix.EINVAL {
			errs = append(errs, fmt.Errorf("unmount %s: %w", p, err))
		}
	}
	if err := unix.Unmount(b.dir, unix.MNT_DETACH|unix.UMOUNT_NOFOLLOW); err != nil && err != unix.EINVAL {
		errs = append(errs, fmt.Errorf("unmount %s: %w", b.dir, err))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove locked binds: %w", err)
	}
	if err := os.RemoveAll(b.dir); err != nil {
		return fmt.Errorf("remove locked binds: %w", err)
	}
	return nil
}

// cleanLeftoverBinds removes the folders of locked binds whose engine's
// process is gone.
func cleanLeftoverBinds(log *slog.Logger) {
	ents, _ := os.ReadDir(bindsRoot)
	for _, e := range ents {
		pid, _, ok := strings.Cut(e.Name(), "-")
		n, err := strconv.Atoi(pid)
		if !ok || err != nil || n <= 0 {
			continue
		}
		if unix.Kill(n, 0) != unix.ESRCH {
			continue // its engine may still run
		}
		b := &lockedBinds{dir: filepath.Join(bindsRoot, e.Name())}
		if err := b.remove(); err != nil {
			log.Warn("clean up after a crashed run", "err", err)
		} else {
			log.Info("cleaned up after a crashed run", "binds", b.dir)
		}
	}
}
