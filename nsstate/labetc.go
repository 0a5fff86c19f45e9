package nsstate

import (
	"io/fs"
	"strconv"
	"strings"
)

// The lab host's own /etc: a small Debian 12 machine with root and one
// unprivileged user, student. The engine lays these files over the real
// machine's /etc in every live lab (so nothing of the real machine's users,
// hostname or resolver shows) and the simulator starts its file system from
// them, so both lab hosts are the same machine.

// The student account: the unprivileged user of every lab host, as
// adduser makes the first user of a fresh Debian install.
const (
	StudentName  = "student"
	StudentUID   = 1000
	StudentGID   = 1000
	StudentHome  = "/home/student"
	StudentShell = "/bin/bash"
)

// StudentSubIDStart and StudentSubIDCount are student's range in
// /etc/subuid and /etc/subgid, as useradd allocates the first range.
const (
	StudentSubIDStart = 100000
	StudentSubIDCount = 65536
)

// LabMachineID is the lab host's /etc/machine-id. It is the same in every
// lab: it identifies the lab host, never the real machine behind it.
const LabMachineID = "6c61622d686f73742d6e736c61620a00"

// LabShadowGID is the gid of the shadow group, which owns /etc/shadow and
// /etc/gshadow on Debian.
const LabShadowGID = 42

// LabFile is one file (or directory, when Mode has fs.ModeDir) of the lab
// host's initial file system, with the owner it has as seen inside the lab.
type LabFile struct {
	Path    string
	Mode    fs.FileMode
	UID     int
	GID     int
	Content string
}

// shadowDay is the "last password change" day of the curated shadow
// entries: the day Debian 12 was released, so the files look as installed.
const shadowDay = "19518"

// labPasswd is a fresh Debian 12's base-passwd plus student.
const labPasswd = `root:x:0:0:root:/root:/bin/bash
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

// labGroupNames are a fresh Debian 12's base-passwd groups, in order.
var labGroupNames = []struct {
	name string
	gid  int
}{
	{"root", 0}, {"daemon", 1}, {"bin", 2}, {"sys", 3}, {"adm", 4},
	{"tty", 5}, {"disk", 6}, {"lp", 7}, {"mail", 8}, {"news", 9},
	{"uucp", 10}, {"man", 12}, {"proxy", 13}, {"kmem", 15},
	{"dialout", 20}, {"fax", 21}, {"voice", 22}, {"cdrom", 24},
	{"floppy", 25}, {"tape", 26}, {"sudo", 27}, {"audio", 29},
	{"dip", 30}, {"www-data", 33}, {"backup", 34}, {"operator", 37},
	{"list", 38}, {"irc", 39}, {"src", 40}, {"shadow", LabShadowGID},
	{"utmp", 43}, {"video", 44}, {"sasl", 45}, {"plugdev", 46},
	{"staff", 50}, {"games", 60}, {"users", 100}, {"nogroup", 65534},
}

// studentGroups are the supplementary groups the Debian installer gives
// its first user; sudo is among them, as tutorials expect.
var studentGroups = map[string]bool{
	"cdrom": true, "floppy": true, "sudo": true, "audio": true,
	"dip": true, "video": true, "plugdev": true, "users": true,
}

// LabHosts is the lab host's /etc/hosts: its own name, nothing of the
// real machine's.
const LabHosts = `127.0.0.1	localhost
127.0.1.1	` + LabHostname + `

# The following lines are desirable for IPv6 capable hosts
::1     localhost ip6-localhost ip6-loopback
ff02::1 ip6-allnodes
ff02::2 ip6-allrouters
`

// LabResolvConf is the lab host's /etc/resolv.conf. A lab has no route to
// the outside, so it names no resolver (glibc then tries the local host),
// and the real machine's resolver address does not show.
const LabResolvConf = "# This lab host has no network outside its own namespaces.\n"

// LabEtcFiles returns the lab host's curated /etc (and the student's
// home), in an order where every directory comes before what it holds.
func LabEtcFiles() []LabFile {
	var group, gshadow string
	for _, g := range labGroupNames {
		members := ""
		if studentGroups[g.name] {
			members = StudentName
		}
		group += g.name + ":x:" + strconv.Itoa(g.gid) + ":" + members + "\n"
		gshadow += g.name + ":*::" + members + "\n"
	}
	group += StudentName + ":x:" + strconv.Itoa(StudentGID) + ":\n"
	gshadow += StudentName + ":!::\n"

	var shadow string
	for _, line := range strings.Split(strings.TrimSuffix(labPasswd, "\n"), "\n") {
		name, _, _ := strings.Cut(line, ":")
		// Debian locks root's password when the installer is told so;
		// from the lab's root shell `su - student` needs none.
		shadow += name + ":*:" + shadowDay + ":0:99999:7:::\n"
	}
	shadow += StudentName + ":!:" + shadowDay + ":0:99999:7:::\n"

	passwd := labPasswd + StudentName + ":x:" + strconv.Itoa(StudentUID) + ":" +
		strconv.Itoa(StudentGID) + ":" + StudentName + ",,,:" + StudentHome + ":" + StudentShell + "\n"
	subid := StudentName + ":" + strconv.Itoa(StudentSubIDStart) + ":" + strconv.Itoa(StudentSubIDCount) + "\n"

	return []LabFile{
		{Path: "/etc/passwd", Mode: 0o644, Content: passwd},
		{Path: "/etc/group", Mode: 0o644, Content: group},
		{Path: "/etc/shadow", Mode: 0o640, GID: LabShadowGID, Content: shadow},
		{Path: "/etc/gshadow", Mode: 0o640, GID: LabShadowGID, Content: gshadow},
		{Path: "/etc/subuid", Mode: 0o644, Content: subid},
		{Path: "/etc/subgid", Mode: 0o644, Content: subid},
		{Path: "/etc/hostname", Mode: 0o644, Content: LabHostname + "\n"},
		{Path: "/etc/hosts", Mode: 0o644, Content: LabHosts},
		{Path: "/etc/machine-id", Mode: 0o444, Content: LabMachineID + "\n"},
		{Path: "/etc/resolv.conf", Mode: 0o644, Content: LabResolvConf},
		{Path: "/home", Mode: fs.ModeDir | 0o755},
		{Path: StudentHome, Mode: fs.ModeDir | 0o750, UID: StudentUID, GID: StudentGID},
	}
}
