//go:build linux

package nsengine

import (
	"github.com/nslab/nslab/nsstate"

	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// The lab's root is a fresh tmpfs mounted inside the lab's own mount
// namespace, so building it changes nothing on the real machine and leaves
// nothing to clean: it goes with the namespace. Into it go the lab's own
// overlays of the engine's locked binds of the host's system folders (or
// of a root folder's entries; see lockedbinds.go, labview.go), a fresh
// /proc, a /sys of the lab's network namespace and a minimal /dev with its
// own devpts, which the engine made (labdevpts.go). The writable places
// (/tmp, /root, /home, /run, /var, /opt, /dev/shm) are plain folders of
// that one size-limited tmpfs, as on a host whose / is writable: one limit bounds
// all the lab's files, and every mount saved makes a lab start sooner.
// Then init pivots into it.

// stage is where the new root is built. It must exist on every host, and
// covering it is harmless because the cover exists only in the lab's mount
// namespace. A RootFS under it is opened before it is covered.
const stage = "/tmp"

// systemFolders are the host folders a lab sees by default. Symlinks among
// them (/bin → usr/bin on merged-/usr systems) stay symlinks. /opt, /var,
// /srv and the rest hold the machine's own data and stay out.
var systemFolders = []string{"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc"}

// labOwned are the names the lab gets from init, never from a RootFS.
var labOwned = map[string]bool{"proc": true, "dev": true, "sys": true, "tmp": true, "root": true, "home": true, "run": true}

// writable are the lab's writable places and their modes. They are made
// after /dev and the binds, so a RootFS's read-only var leaves var/tmp
// as the RootFS has it.
var writable = []struct {
	path string
	mode uint32
}{{"tmp", 0o1777}, {"root", 0o700}, {"home", 0o755}, {"run", 0o755}, {"var/tmp", 0o1777}, {"dev/shm", 0o1777}, {"mnt", 0o755}}

// devNodes are bound from the host's /dev; all are harmless to share.
var devNodes = []string{"null", "zero", "full", "random", "urandom", "tty"}

// setupLab builds the lab inside init's fresh namespaces. It returns the
// seccomp filter's listener, for the engine's mount budget.
func setupLab(s labSetup) (listener int, err error) {
	steps := []struct {
		name string
		fn   func() error
	}{
		{"cgroup namespace", unshareCgroupNamespace},
		{"no_new_privs", setNoNewPrivs},
		{"hostname", func() error { return unix.Sethostname([]byte(s.Hostname)) }},
		{"loopback", loopbackUp},
		{"ping groups", labPingGroups},
		{"root", func() error { return buildRoot(s) }},
		{"namespace limits", limitLabNamespaces},
		{"rlimits", setLabRlimits},
		{"capability bounding set", dropBoundingCapabilities},
		{"seccomp", func() (err error) { listener, err = installSeccomp(); return err }},
	}
	for _, st := range steps {
		if err := st.fn(); err != nil {
			return -1, fmt.Errorf("set up lab: %s: %w", st.name, err)
		}
	}
	return listener, nil
}

// loopbackUp brings up lo, the only interface of the lab's network
// namespace.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

func tmpfsOptions(mode uint32, size int64) string {
	return "mode=" + strconv.FormatUint(uint64(mode), 8) + ",size=" + strconv.FormatInt(size, 10)
}

func mount(source, target, fstype string, flags uintptr, data string) error {
	if err := unix.Mount(source, target, fstype, flags, data); err != nil {
		return fmt.Errorf("mount %s on %s: %w", fstype+source, target, err)
	}
	return nil
}

// buildRoot builds the new root at stage and pivots into it.
func buildRoot(s labSetup) error {
	src := "/"
	var names []string
	if s.RootFS != "" {
		fd, err := unix.Open(s.RootFS, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("rootfs %s: %w", s.RootFS, err)
		}
		defer unix.Close(fd)
		src = "/proc/self/fd/" + strconv.Itoa(fd)
		ents, err := os.ReadDir(src)
		if err != nil {
			return fmt.Errorf("rootfs %s: %w", s.RootFS, err)
		}
		for _, e := range ents {
			if !labOwned[e.Name()] {
				names = append(names, e.Name())
			}
		}
	} else {
		names = systemFolders
	}
	if err := makeMountsPrivate(); err != nil {
		return err
	}
	view, err := newLabView(s.TmpfsBytes)
	if err != nil {
		return err
	}
	defer view.close()
	if err := mount("tmpfs", stage, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, tmpfsOptions(0o755, s.TmpfsBytes)); err != nil {
		return err
	}
	for _, n := range names {
		if s.RootFS != "" && s.idmap != nil {
			if err := view.idmapLower(n, filepath.Join(src, n), s.idmap); err != nil {
				return err
			}
		}
		if err := view.viewEntry(filepath.Join(src, n), filepath.Join(stage, n), n, s.Hostname); err != nil {
			return err
		}
	}
	steps := []func() error{
		labSudo,
		func() error { return labDev(s.devpts) },
		labProc,
		labSys,
		labWritable,
		labVar,
		labHostFiles,
		detachEngineDevpts,
		pivot,
		makeRootShared,
	}
	for _, st := range steps {
		if err := st(); err != nil {
			return err
		}
	}
	return nil
}

// bindEntry puts one top-level entry of the source root into the new root:
// a symlink as a symlink, a folder or file as a read-only bind.
func bindEntry(from, to string) error {
	st, err := os.Lstat(from)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case st.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(from)
		if err != nil {
			return err
		}
		return os.Symlink(target, to)
	case st.IsDir():
		if err := os.Mkdir(to, 0o755); err != nil {
			return err
		}
	case st.Mode().IsRegular():
		if err := writeFileDirect(to, nil, 0o644); err != nil {
			return err
		}
	default:
		return nil // sockets, fifos, devices at the top level: not needed
	}
	// Not recursive: a lab's overlay refuses a lower layer with mounts
	// under it that the lab may not uncover (the kernel's locked mounts),
	// and what is mounted under a system folder (a container's binds on
	// /etc/hosts) is the machine's, not the lab's.
	if err := mount(from, to, "", unix.MS_BIND, ""); err != nil {
		return err
	}
	return readOnlyBind(to)
}

// labSudo puts a small read-only tmpfs on /usr/local holding bin/sudo.
func labSudo() error {
	local := filepath.Join(stage, "usr/local")
	if st, err := os.Stat(local); err != nil || !st.IsDir() {
		return nil
	}
	if err := mount("tmpfs", local, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, tmpfsOptions(0o755, 64<<10)); err != nil {
		return err
	}
	for _, d := range []string{"bin", "sbin"} {
		if err := os.Mkdir(filepath.Join(local, d), 0o755); err != nil {
			return err
		}
	}
	if err := writeFileDirect(filepath.Join(local, "bin/sudo"), []byte(nsstate.SudoScript), 0o755); err != nil {
		return err
	}
	return readOnlyBind(local)
}

// labDev builds a minimal /dev in the root tmpfs: a few harmless nodes
// bound from the host (a bind keeps the host mount's permission to use
// device nodes; the lab's tmpfs has none) and a devpts instance of the
// lab's own, so its PTYs are the lab's only: devpts, which the engine
// made (see labdevpts.go), and which labDev closes.
func labDev(devpts *os.File) error {
	if devpts != nil {
		defer devpts.Close()
	}
	dev := filepath.Join(stage, "dev")
	if err := os.Mkdir(dev, 0o755); err != nil {
		return err
	}
	for _, n := range devNodes {
		to := filepath.Join(dev, n)
		if err := writeFileDirect(to, nil, 0o666); err != nil {
			return err
		}
		if err := mount("/dev/"+n, to, "", unix.MS_BIND, ""); err != nil {
			return err
		}
	}
	pts := filepath.Join(dev, "pts")
	if err := os.Mkdir(pts, 0o755); err != nil {
		return err
	}
	if err := attachLabDevpts(devpts, pts); err != nil {
		return err
	}
	for name, target := range map[string]string{
		"ptmx": "pts/ptmx", "fd": "/proc/self/fd", "stdin": "/proc/self/fd/0",
		"stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2",
	} {
		if err := os.Symlink(target, filepath.Join(dev, name)); err != nil {
			return err
		}
	}
	return nil
}

// labProc mounts a fresh proc for the lab's PID namespace. Nothing is
// mounted over any part of it: the kernel refuses a nested proc mount
// (unshare --mount-proc) where the existing one is partly hidden.
func labProc() error {
	p := filepath.Join(stage, "proc")
	if err := os.Mkdir(p, 0o555); err != nil {
		return err
	}
	return mount("proc", p, "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
}

// labWritable makes the writable places as folders of the root tmpfs.
func labWritable() error {
	for _, w := range writable {
		p := filepath.Join(stage, w.path)
		if err := os.MkdirAll(p, 0o755); err != nil {
			if errors.Is(err, unix.EROFS) || errors.Is(err, os.ErrExist) {
				continue // in a RootFS's read-only folder: left as it is
			}
			return err
		}
		// MkdirAll's mode is filtered by the umask and has no sticky bit.
		if err := unix.Chmod(p, w.mode); err != nil {
			if errors.Is(err, unix.EROFS) {
				continue
			}
			return err
		}
	}
	return nil
}

// pivot makes the new root the lab's root and lets go of the old one.
func pivot() error {
	if err := unix.Chdir(stage); err != nil {
		return err
	}
	// pivot_root(".", ".") stacks the old root on the new one, so no
	// folder for it is needed.
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	return detachOldRoot()
}

// makeRootShared makes the lab's mounts shared, as on a systemd host, so
// that lessons on mount propagation (unshare -m --propagation …) behave as
// they would on a real one.
func makeRootShared() error {
	return mount("", "/", "", unix.MS_REC|unix.MS_SHARED, "")
}
