package sim

import "strings"

// This file builds the lab host's root file system: a Debian 12 tree with
// merged /usr, the simulated programs as executables, and the account
// files the tools read.

// sbinPrograms live in /usr/sbin on Debian; the others in /usr/bin.
var sbinPrograms = map[string]bool{"ip": true, "chroot": true, "pivot_root": true}

const etcPasswd = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
`

const etcGroup = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
`

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
	sb.addFile("etc/passwd", 0o644, etcPasswd)
	sb.addFile("etc/group", 0o644, etcGroup)
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
