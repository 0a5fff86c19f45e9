//go:build linux

package nsengine

// DefaultEnv returns the environment every process in a lab starts with
// unless its ProcSpec says otherwise, as a login shell of root on a Debian
// host would have it:
//
//	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
//	HOME=/root USER=root LOGNAME=root TERM=xterm-256color LANG=C.UTF-8
//	SHELL=/bin/bash
//
// The simulator copies this list, so that `nslab run` and `nslab sim` start
// scripts from the same state.
func DefaultEnv() []string {
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
