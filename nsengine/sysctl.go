//go:build linux

package nsengine

import (
	"log/slog"
	"os"
	"strings"
)

// Kernel settings a lab can write. The lab's root may write most files of
// its own /proc/sys/net, /proc/sys/kernel (IPC, pid_max, ns_last_pid) and
// /proc/sys/fs/mqueue: the kernel keeps those per network, IPC or PID
// namespace and lets the namespace's owner write them, and the lab owns
// every namespace it makes, nested ones included. All of them act on the
// lab's own namespaces, except the ones below, whose kernel handler
// changes something of the whole machine. The engine cannot take them
// from the lab: seccomp does not see paths, a mount over the file would
// make the kernel refuse the nested proc mounts lessons need (it allows a
// new proc only where an existing one is fully visible, and a nested
// `unshare -Urn` gets a network namespace of its own where the file is
// writable again), and a capability the lab lacks comes back in any user
// namespace it makes. So they are listed here, logged at start, and
// documented in docs/security.md; TestAttackMachineWideSysctls writes
// every other file a lab can write and checks the real machine's value.

// machineWideSysctl is a file under /proc/sys that a lab can write with
// an effect on the whole machine.
type machineWideSysctl struct {
	path string // under /proc/sys
	// labValue is the value a lab can set on the machine: once it holds,
	// a lab's write changes nothing.
	labValue string
	effect   string
}

var machineWideSysctls = []machineWideSysctl{{
	// net/netfilter/nf_hooks_lwtunnel.c registers the file in every
	// network namespace and turns a global static key on, with no check
	// of the writer beyond the namespace's owner; it never turns it off.
	path:     "net/netfilter/nf_hooks_lwtunnel",
	labValue: "1",
	effect:   "netfilter hooks run for packets of lightweight tunnels (SRv6, RPL, IOAM6) on the whole machine, and the kernel refuses to turn them off until reboot",
}}

// logMachineWideSysctls tells the operator, once per engine, which of
// machineWideSysctls a lab could still change on this machine, and how to
// decide them beforehand (any user with user namespaces can change them
// too; a lab only shares that power).
func logMachineWideSysctls(log *slog.Logger) {
	for _, s := range machineWideSysctls {
		b, err := os.ReadFile("/proc/sys/" + s.path)
		if err != nil {
			continue // not in this kernel
		}
		if v := strings.TrimSpace(string(b)); v != s.labValue {
			log.Info("a lab (like any user namespace) can change this machine-wide kernel setting; set it at boot to decide it yourself",
				"sysctl", strings.ReplaceAll(s.path, "/", "."), "value", v, "lab_can_set", s.labValue, "effect", s.effect)
		}
	}
}
