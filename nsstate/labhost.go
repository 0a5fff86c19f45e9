package nsstate

// The lab host's initial state. `nslab run` (nsengine) and `nslab sim`
// (sim) both start from it, so that one script's transcripts can be
// compared; the two packages never import each other, so it lives here.

// LabHostname is the lab host's hostname.
const LabHostname = "lab"

// LabIDBase is the first real-machine uid and gid of the first lab slot;
// lab root (0) maps to it and the lab owns the next 65535 IDs. Later slots
// follow in steps of LabIDCount.
const (
	LabIDBase  = 200_000_000
	LabIDCount = 65536
)

// LabFirstPID is the PID of the first process a lab's init starts (the
// learner's first shell), the same in every lab, live and simulated, so
// that a lesson can name it and one script's transcripts compare. Below it
// lie only init (PID 1) and the thread IDs of init's threads, which name
// no process: a few of the runtime of init's setup stage (gone once init
// re-executes itself hardened) and the twelve of the hardened stage (the
// engine's initThreads), how many of the former varying from start to
// start. 100 leaves room for three times that, reads as a small number,
// and has three digits: a lab host PID never looks like the one-digit
// PIDs of the PID namespaces a learner makes (PID 100 on the lab host is
// PID 1 inside). The live init sets it by writing LabFirstPID-1 to the
// lab's /proc/sys/kernel/ns_last_pid once its threads are all made.
const LabFirstPID = 100

// LabEnv returns the environment every lab process starts with unless told
// otherwise, as a login shell of root on a Debian host would have it.
func LabEnv() []string {
	return []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=/root",
		"USER=root",
		"LOGNAME=root",
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
		"SHELL=/bin/bash",
	}
}

// SudoScript is the lab host's /usr/local/bin/sudo: the lab's user is root
// already, so sudo drops its own options and runs the rest, and commands
// pasted from tutorials (`sudo unshare --pid --fork sh`) work as written.
const SudoScript = `#!/bin/sh
# In an nslab lab you are root already: sudo only drops its own options.
shell=
while [ $# -gt 0 ]; do
	case "$1" in
	--) shift; break ;;
	-u|-g|-C|-D|-h|-p|-r|-t|-T|-U) shift 2 ;;
	-i|-s) shell=1; shift ;;
	-*) shift ;;
	*) break ;;
	esac
done
if [ $# -eq 0 ]; then
	[ -n "$shell" ] && exec "${SHELL:-/bin/sh}"
	echo "usage: sudo COMMAND [ARG...]" >&2
	exit 1
fi
exec "$@"
`
