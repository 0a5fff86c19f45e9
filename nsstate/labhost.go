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
