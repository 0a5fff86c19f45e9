//go:build linux

package nsengine

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// A lab's /dev/pts is a devpts instance of its own, so that its PTYs are
// the lab's only. The engine makes it, not the lab's init, for two
// reasons the kernel gives (fs/devpts/inode.c):
//
//   - A devpts instance belongs to the user namespace of whoever made it,
//     and its owner may remount it. One the lab mounted itself would be the
//     lab's, and the lab's root could lift its max= cap
//     (mount -o remount,max=1000000 /dev/pts). One the engine makes belongs
//     to the real machine's user namespace: the lab's remount gets EPERM.
//   - An instance made from the machine's initial mount namespace may draw
//     on kernel.pty.reserve, the part of the machine's PTY pool that
//     instances made anywhere else (a lab's own devpts mounts, a
//     container's) cannot take. Every lab's own terminals come from there,
//     and however many PTYs labs open in devpts instances of their own,
//     no lab is left without a terminal (see ptypool.go).
//
// The engine makes it detached (fsopen, fsmount) and sends it with the
// go message; init binds it onto the lab's /dev/pts (labDev).

// labTTYGroup is the lab's tty group, which owns the slave side of every
// PTY of the lab's devpts, as on a Debian host.
const labTTYGroup = 5

// newLabDevpts makes the devpts instance of the lab whose IDs start at
// idBase, as a detached mount. It stops the lab's root from raising its
// devpts's max= cap by a remount, and keeps the lab's terminals out of
// the part of the machine's PTY pool that devpts instances of the labs'
// own making can exhaust.
func newLabDevpts(idBase uint32) (_ *os.File, err error) {
	fsfd, err := unix.Fsopen("devpts", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("lab devpts: fsopen: %w", err)
	}
	defer unix.Close(fsfd)
	for _, o := range []struct{ key, value string }{
		{"source", "devpts"}, // as `mount -t devpts devpts` shows in mountinfo
		{"max", strconv.Itoa(labPTYMax)},
		{"ptmxmode", "0666"},
		{"mode", "0620"},
		// The kernel reads gid= in the maker's user namespace, the real
		// machine's: the lab's tty group is the lab's host ID base+5.
		{"gid", strconv.FormatUint(uint64(idBase)+labTTYGroup, 10)},
	} {
		if err := unix.FsconfigSetString(fsfd, o.key, o.value); err != nil {
			return nil, fmt.Errorf("lab devpts: fsconfig %s=%s: %w", o.key, o.value, err)
		}
	}
	if err := unix.FsconfigCreate(fsfd); err != nil {
		return nil, fmt.Errorf("lab devpts: fsconfig create: %w", err)
	}
	fd, err := unix.Fsmount(fsfd, unix.FSMOUNT_CLOEXEC, unix.MOUNT_ATTR_NOSUID|unix.MOUNT_ATTR_NOEXEC)
	if err != nil {
		return nil, fmt.Errorf("lab devpts: fsmount: %w", err)
	}
	mnt := os.NewFile(uintptr(fd), "devpts")
	defer func() {
		if err != nil {
			mnt.Close()
		}
	}()
	// The kernel gives the root and ptmx to the real machine's root, the
	// maker: the lab would see them as nobody's. In a devpts the lab had
	// mounted itself they are the lab root's, as on a host.
	lab := int(idBase)
	if err := unix.Fchownat(fd, "", lab, lab, unix.AT_EMPTY_PATH); err != nil {
		return nil, fmt.Errorf("lab devpts: chown its root to the lab's root: %w", err)
	}
	if err := unix.Fchownat(fd, "ptmx", lab, lab, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return nil, fmt.Errorf("lab devpts: chown ptmx to the lab's root: %w", err)
	}
	return mnt, nil
}

// attachLabDevpts puts the engine's detached devpts (newLabDevpts) on
// pts, in the lab's mount namespace; it runs in init's setup stage. What
// goes on pts is a bind of it made here, not the engine's mount itself:
// the kernel numbers a mount when it is made, and findmnt lists mounts by
// those numbers, so the engine's, made before the lab's others, would be
// listed first. The engine's mount waits beside it, at the path
// engineDevpts gives, for detachEngineDevpts.
func attachLabDevpts(devpts *os.File, pts string) error {
	if devpts == nil {
		return fmt.Errorf("devpts for %s: the engine sent none", pts)
	}
	tmp := engineDevpts(pts)
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return fmt.Errorf("devpts for %s: %w", pts, err)
	}
	if err := unix.MoveMount(int(devpts.Fd()), "", unix.AT_FDCWD, tmp, unix.MOVE_MOUNT_F_EMPTY_PATH); err != nil {
		return fmt.Errorf("move the engine's devpts onto %s: %w", tmp, err)
	}
	return mount(tmp, pts, "", unix.MS_BIND, "")
}

// engineDevpts is where attachLabDevpts puts the engine's mount of the
// devpts bound on pts.
func engineDevpts(pts string) string { return pts + ".engine" }

// detachEngineDevpts takes the engine's devpts mount away from where
// attachLabDevpts left it, once the lab's other mounts are made: the
// kernel hands its number to the next mount made, so that the lab's
// mounts keep the numbers, and the order, they had when init mounted
// devpts itself.
func detachEngineDevpts() error {
	tmp := engineDevpts(filepath.Join(stage, "dev/pts"))
	if err := unix.Unmount(tmp, unix.MNT_DETACH); err != nil {
		return fmt.Errorf("unmount %s: %w", tmp, err)
	}
	return os.Remove(tmp)
}
