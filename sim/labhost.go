package sim

import (
	"io/fs"
	"strings"

	"github.com/nslab/nslab/nsstate"
)

// The lab host as a small machine of its own, as the live engine builds it
// (issue 9): its own writable /etc, an overlay of the machine's /etc with
// the curated files of nsstate.LabEtcFiles owned by the lab's root; /usr an
// overlay whose files read as owned by the lab's root (the engine's
// idmapped lower layer); /opt, a /var with /var/run → /run, /run/lock; and
// /sys, sysfs of the lab's network namespace (mounted twice by the engine,
// as `ip netns exec` expects a mount it may replace).

// labEtcOverlay is the lab host's /etc: the machine's files (owned by the
// machine's root, nobody here) under the lab's own curated ones.
func (k *Kernel) labEtcOverlay(host *superblock) *superblock {
	sb := k.newSuperblock("overlay", "overlay", "rw,lowerdir=/proc/self/fd/3/etc,upperdir=/proc/self/fd/7/etc,workdir=/proc/self/fd/7/etc.work,redirect_dir=nofollow,uuid=on,userxattr")
	sb.root.uid, sb.root.gid = labIDBase, labIDBase
	for name, n := range host.root.children["etc"].children {
		sb.root.children[name] = n
	}
	for _, f := range nsstate.LabEtcFiles() {
		rest, ok := strings.CutPrefix(f.Path, "/etc/")
		if !ok || f.Mode.IsDir() {
			continue
		}
		n := sb.addFile(rest, uint32(f.Mode.Perm()), f.Content)
		n.uid, n.gid = labIDBase+KUID(f.UID), labIDBase+KGID(f.GID)
	}
	return sb
}

// labUsrOverlay is the lab host's read-only /usr: the machine's tree, its
// files read as owned by the lab's root.
func (k *Kernel) labUsrOverlay(host *superblock) *superblock {
	sb := k.newSuperblock("overlay", "overlay", "ro,lowerdir=/proc/self/fd/7/lower-usr:/proc/self/fd/7/empty,redirect_dir=on")
	sb.readOnly = true
	sb.root = host.root.children["usr"]
	var own func(n *inode)
	own = func(n *inode) {
		if n.uid == 0 {
			n.uid = labIDBase
		}
		if n.gid == 0 {
			n.gid = labIDBase
		}
		for _, c := range n.children {
			own(c)
		}
	}
	own(sb.root)
	return sb
}

// labSysfs is the lab host's /sys: the top folders of sysfs, the
// machine's (nobody's here).
func (k *Kernel) labSysfs() *superblock {
	sb := k.newSuperblock("sysfs", "sysfs", "rw")
	sb.root.perm = 0o555
	for _, d := range []string{"block", "bus", "class", "dev", "devices", "firmware", "fs", "kernel", "module", "power"} {
		sb.mkdirAll(d, 0o755)
	}
	k.sysfsNet(sb, func() *NetNamespace { return k.lab.net })
	return sb
}

// labHostDirs are the folders of the lab's root tmpfs beyond the ones
// every lab has (buildLabRoot): what tutorials assume of a machine.
var labHostDirs = []struct {
	path string
	perm fs.FileMode
}{
	{"opt", 0o755}, {"run/lock", 0o755}, {"sys", 0o755},
	{"var/backups", 0o755}, {"var/cache", 0o755}, {"var/lib", 0o755}, {"var/local", 0o755},
	{"var/log", 0o755}, {"var/mail", 0o755}, {"var/spool", 0o755},
}

// labHostLinks are /var's links into /run, as on Debian.
var labHostLinks = [][2]string{{"var/lock", "/run/lock"}, {"var/run", "/run"}}
