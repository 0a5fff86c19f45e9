package sim

import (
	"strings"

	"github.com/nslab/nslab/nsstate"
)

// This file builds the lab host's root file system: a Debian 12 tree with
// merged /usr, the simulated programs as executables, and the account
// files the tools read.

// sbinPrograms live in /usr/sbin on Debian; the others in /usr/bin.
var sbinPrograms = map[string]bool{"ip": true, "chroot": true, "pivot_root": true, "ifconfig": true}

const etcOSRelease = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`

// buildHostFS is the machine's own root file system, owned by the
// machine's root (who is nobody in the lab); the lab sees its /usr and
// /etc.
func (k *Kernel) buildHostFS() *superblock {
	sb := &superblock{fstype: "ext4", source: "/dev/vda", opts: "rw,discard,resv_strict,resuid=65534,resgid=65534", major: 254, minor: 0}
	sb.root = sb.newInode(kindDir, 0o755)
	for _, d := range []string{"usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "usr/local", "usr/share", "usr/include", "usr/libexec", "usr/src", "usr/games", "etc"} {
		sb.mkdirAll(d, 0o755)
	}
	// The machine's own account files; the lab's /etc lays its curated
	// ones over them (labEtcOverlay).
	sb.addFile("etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/bash\n")
	sb.addFile("etc/group", 0o644, "root:x:0:\n")
	sb.addFile("etc/hostname", 0o644, "vm\n")
	sb.addFile("etc/os-release", 0o644, etcOSRelease)
	for name := range k.programs {
		dir := "usr/bin/"
		if sbinPrograms[name] {
			dir = "usr/sbin/"
		}
		f := sb.addFile(dir+name, 0o755, "")
		f.program = name
	}
	k.addELFImages(sb)
	sb.addSymlink("usr/bin/sh", "dash")
	sb.addSymlink("usr/bin/[", "test")
	return sb
}

// buildLabRoot is the lab's root: one tmpfs the engine fills with mount
// points, the places a lab may write, /dev's links and the merged-/usr
// links.
func (k *Kernel) buildLabRoot(ids string) *superblock {
	sb := k.newSuperblock("tmpfs", "tmpfs", "rw,size=65536k,mode=755"+ids)
	own := func(n *inode) *inode { n.uid, n.gid = labIDBase, labIDBase; return n }
	own(sb.root)
	for _, d := range []struct {
		path string
		perm uint32
	}{{"dev", 0o755}, {"dev/pts", 0o755}, {"dev/shm", 0o1777}, {"etc", 0o755}, {"home", 0o755}, {"mnt", 0o755}, {"proc", 0o755},
		{"root", 0o700}, {"run", 0o755}, {"tmp", 0o1777}, {"usr", 0o755}, {"var", 0o755}, {"var/tmp", 0o1777}} {
		own(sb.mkdirAll(d.path, 0o755)).perm = d.perm
	}
	for _, d := range labHostDirs {
		own(sb.mkdirAll(d.path, 0o755)).perm = uint32(d.perm)
	}
	for _, l := range labHostLinks {
		sb.addSymlink(l[0], l[1])
		dir, name := splitDirBase(l[0])
		own(sb.root.children[dir].children[name])
	}
	// The student's home, owned by the student as the lab sees it.
	for _, f := range nsstate.LabEtcFiles() {
		if rest, ok := strings.CutPrefix(f.Path, "/home/"); ok && f.Mode.IsDir() {
			n := sb.mkdirAll("home/"+rest, uint32(f.Mode.Perm()))
			n.perm = uint32(f.Mode.Perm())
			n.uid, n.gid = labIDBase+KUID(f.UID), labIDBase+KGID(f.GID)
		}
	}
	for _, name := range []string{"null", "zero", "full", "random", "urandom", "tty"} {
		own(sb.addFile("dev/"+name, 0o644, ""))
	}
	for _, l := range [][2]string{{"dev/fd", "/proc/self/fd"}, {"dev/ptmx", "pts/ptmx"}, {"dev/stderr", "/proc/self/fd/2"}, {"dev/stdin", "/proc/self/fd/0"}, {"dev/stdout", "/proc/self/fd/1"},
		{"bin", "usr/bin"}, {"lib", "usr/lib"}, {"lib64", "usr/lib64"}, {"sbin", "usr/sbin"}} {
		sb.addSymlink(l[0], l[1])
	}
	for _, l := range []string{"dev/fd", "dev/ptmx", "dev/stderr", "dev/stdin", "dev/stdout", "bin", "lib", "lib64", "sbin"} {
		dir, name := splitDirBase(l)
		n := sb.root
		if dir != "" {
			n = n.children[dir]
		}
		own(n.children[name])
	}
	return sb
}

func splitDirBase(p string) (string, string) {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return "", p
}
