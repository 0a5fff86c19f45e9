package sim

import (
	"math"
	"strconv"
	"strings"
)

// This file renders /proc/sys: the sysctls a namespace lesson reads and
// writes. A sysctl belongs to the namespace of the process opening it, not
// to the proc mount (the kernel picks the sysctl set from current's
// namespaces): the IPC limits and fs/mqueue of its IPC namespace, net/* of
// its network namespace, user/* of its user namespace, ns_last_pid of its
// PID namespace, hostname and domainname of its UTS namespace. Who may
// write is the kernel's proc_sys_permission: the table's mode, or what a
// namespace's permissions callback makes of it, tested against the
// opener's effective IDs (test_perm), with no DAC override.

// The capabilities the sysctls check, besides those of creds.go.
const (
	CapSysResource       Capability = 24
	CapCheckpointRestore Capability = 40
)

// sysctl is one file under /proc/sys.
type sysctl struct {
	mode uint32
	// owner is the file's owner and group (a namespace's set_ownership);
	// nil means the initial namespace's root.
	owner func() (KUID, KGID)
	// permissions is a namespace's permissions callback: the mode that
	// applies to the opener; nil means mode.
	permissions func(w *Task) uint32
	read        func(v *Task) string
	// write takes what one write(2) gave; nil makes the file read-only.
	write func(w *Task, data string) error
}

// inode makes the procfs file for s.
func (s sysctl) inode() *inode {
	n := synthFile(s.mode, s.read)
	if s.owner != nil {
		n.uid, n.gid = s.owner()
	}
	n.access = func(t *Task, mask uint32) bool {
		mode := s.mode
		if s.permissions != nil {
			mode = s.permissions(t)
		}
		return sysctlTestPerm(t, mode, mask)
	}
	if s.write != nil {
		n.write = func(w *Task, data []byte) error { return s.write(w, string(data)) }
	} else {
		// Read-only in the table: an open for writing fails on its mode.
		n.write = func(*Task, []byte) error { return EACCES }
	}
	return n
}

// sysctlTestPerm is the kernel's test_perm: the owner bits for the
// initial namespace's root, the group bits for its group, else the other
// bits; capabilities do not override it.
func sysctlTestPerm(t *Task, mode, mask uint32) bool {
	c := t.creds
	switch {
	case c.EUID == 0:
		mode >>= 6
	case c.EGID == 0 || inGroups(0, c.Groups):
		mode >>= 3
	}
	return mode&mask&7 == mask&7
}

// replicate makes a permissions callback's result: bits for everyone.
func replicate(bits uint32) uint32 {
	bits &= 7
	return bits<<6 | bits<<3 | bits
}

// nsRoot is set_ownership of a namespace's sysctls: the root of the user
// namespace that owns it, or the initial root where that has no root.
func nsRoot(owner *UserNamespace) func() (KUID, KGID) {
	return func() (KUID, KGID) {
		uid, ok := owner.MapUID(0)
		gid, gok := owner.MapGID(0)
		if !ok || !gok {
			return 0, 0
		}
		return uid, gid
	}
}

// rootOrGroupPermissions is ipc_permissions and mq_permissions: the
// owner bits for the owning namespace's root by effective UID, the group
// bits for its group, the other bits for anyone else.
func rootOrGroupPermissions(owner *UserNamespace, mode uint32) func(*Task) uint32 {
	return func(w *Task) uint32 {
		uid, gid := nsRoot(owner)()
		switch {
		case w.creds.EUID == uid:
			mode >>= 6
		case w.creds.EGID == gid || inGroups(gid, w.creds.Groups):
			mode >>= 3
		}
		return replicate(mode)
	}
}

// parseSysctlInts parses what a write gives proc_dointvec_minmax: up to n
// integers separated by white space, each within [lo, hi]; text left
// after the n-th is ignored. EINVAL for anything else; none at all leaves
// the values alone (nil).
func parseSysctlInts(data string, n int, lo, hi int64) ([]int64, error) {
	f := strings.Fields(data)
	if len(f) == 0 {
		return nil, nil
	}
	if len(f) > n {
		f = f[:n]
	}
	out := make([]int64, len(f))
	for i, s := range f {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < math.MinInt32 || v > math.MaxInt32 || v < lo || v > hi {
			return nil, EINVAL
		}
		out[i] = v
	}
	return out, nil
}

// intSysctl is a sysctl holding one int in [lo, hi], written by anyone the
// permissions allow.
func intSysctl(mode uint32, owner func() (KUID, KGID), perms func(*Task) uint32, p *int64, lo, hi int64) sysctl {
	return sysctl{
		mode: mode, owner: owner, permissions: perms,
		read: func(*Task) string { return strconv.FormatInt(*p, 10) + "\n" },
		write: func(_ *Task, data string) error {
			v, err := parseSysctlInts(data, 1, lo, hi)
			if err == nil && v != nil {
				*p = v[0]
			}
			return err
		},
	}
}

// vecSysctl holds several ints shown tab-separated; a write sets as many
// as it gives, from the first.
func vecSysctl(mode uint32, owner func() (KUID, KGID), perms func(*Task) uint32, p []int64, lo, hi int64, check func([]int64) bool) sysctl {
	return sysctl{
		mode: mode, owner: owner, permissions: perms,
		read: func(*Task) string {
			parts := make([]string, len(p))
			for i, v := range p {
				parts[i] = strconv.FormatInt(v, 10)
			}
			return strings.Join(parts, "\t") + "\n"
		},
		write: func(_ *Task, data string) error {
			v, err := parseSysctlInts(data, len(p), lo, hi)
			if err != nil || v == nil {
				return err
			}
			next := append([]int64(nil), p...)
			copy(next, v)
			if check != nil && !check(next) {
				return EINVAL
			}
			copy(p, next)
			return nil
		},
	}
}

// sysctlDir is a directory of sysctls and subdirectories, made for the
// reader: entries maps a name to a file (sysctl) or a directory (func).
func sysctlDir(entries func(v *Task) map[string]any) *inode {
	return synthDir(func(v *Task) map[string]*inode {
		m := map[string]*inode{}
		for name, e := range entries(v) {
			switch x := e.(type) {
			case sysctl:
				m[name] = x.inode()
			case func(v *Task) map[string]any:
				m[name] = sysctlDir(x)
			}
		}
		return m
	})
}

// procSysDir is /proc/sys.
func (k *Kernel) procSysDir() *inode {
	return sysctlDir(func(v *Task) map[string]any {
		return map[string]any{
			"kernel": func(v *Task) map[string]any { return k.kernelSysctls(v) },
			"fs": func(v *Task) map[string]any {
				return map[string]any{"mqueue": func(v *Task) map[string]any { return mqueueSysctls(v.ns.ipc) }}
			},
			"net":  func(v *Task) map[string]any { return k.netSysctls(v.ns.net) },
			"user": func(v *Task) map[string]any { return k.userSysctls(v.creds.UserNS) },
		}
	})
}

// kernelSysctls is /proc/sys/kernel for reader v.
func (k *Kernel) kernelSysctls(v *Task) map[string]any {
	constant := func(text string) sysctl {
		return sysctl{mode: 0o444, read: func(*Task) string { return text + "\n" }}
	}
	m := map[string]any{
		"hostname":     k.utsSysctl(func(u *UTSNamespace) *string { return &u.Hostname }),
		"domainname":   k.utsSysctl(func(u *UTSNamespace) *string { return &u.Domainname }),
		"pid_max":      pidMaxSysctl(v.PIDNS()),
		"overflowuid":  sysctl{mode: 0o644, read: func(*Task) string { return "65534\n" }},
		"overflowgid":  sysctl{mode: 0o644, read: func(*Task) string { return "65534\n" }},
		"cap_last_cap": constant(itoa(capLastCap)),
		"ostype":       constant("Linux"),
		"osrelease":    constant(kernelRelease),
		"version":      constant(kernelVersion),
		"ns_last_pid":  nsLastPIDSysctl(),
	}
	for name, s := range ipcSysctls(v.ns.ipc) {
		m[name] = s
	}
	return m
}

// utsSysctl is kernel/hostname or kernel/domainname: the opener's UTS
// namespace's name. The table has no permissions callback, so only the
// initial namespace's root may write (a lab's root uses sethostname(2)).
func (k *Kernel) utsSysctl(field func(*UTSNamespace) *string) sysctl {
	return sysctl{
		mode: 0o644,
		read: func(v *Task) string { return *field(v.ns.uts) + "\n" },
		write: func(w *Task, data string) error {
			name := strings.TrimSuffix(data, "\n")
			if len(name) > 64 {
				return EINVAL
			}
			*field(w.ns.uts) = name
			return nil
		},
	}
}

// nsLastPIDSysctl is kernel/ns_last_pid: the last PID handed out in the
// opener's PID namespace (pid_ns_ctl_handler). Anyone may open it (0666);
// a write needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the namespace's
// owner (EPERM) and a value from 0 to pid_max (EINVAL); the next fork
// gets the PID after it.
func nsLastPIDSysctl() sysctl {
	return sysctl{
		mode: 0o666,
		read: func(v *Task) string { return itoa(v.PIDNS().last) + "\n" },
		write: func(w *Task, data string) error {
			ns := w.PIDNS()
			if !w.creds.HasCapabilityIn(CapSysAdmin, ns.owner) && !w.creds.HasCapabilityIn(CapCheckpointRestore, ns.owner) {
				return EPERM
			}
			v, err := parseSysctlInts(data, 1, 0, pidMax)
			if err == nil && v != nil {
				ns.last = int(v[0])
			}
			return err
		},
	}
}

// ipcLimits are an IPC namespace's limits, kernel/{msg,shm,sem}* and
// fs/mqueue/*. A new IPC namespace starts with the kernel's defaults, not
// a copy of its creator's.
type ipcLimits struct {
	msgmni, msgmax, msgmnb, shmmni, shmRmidForced int64
	shmmax, shmall                                uint64
	sem                                           []int64
	queuesMax, msgMax, msgsizeMax, msgDefault     int64
	msgsizeDefault                                int64
}

// The kernel's limits (IPCMNI; mqueue's HARD_* and MIN_*).
const (
	ipcMNI         = 32768
	mqHardMsgMax   = 65536
	mqHardMsgSize  = 16 * 1024 * 1024
	mqMinMsgSize   = 128
	shmDefaultSize = math.MaxUint64 - 1<<24 // SHMMAX and SHMALL
)

// sysctls returns the namespace's limits, made with the defaults on first
// use.
func (n *IPCNamespace) sysctls() *ipcLimits {
	if n.limits == nil {
		n.limits = &ipcLimits{
			msgmni: 32000, msgmax: 8192, msgmnb: 16384, shmmni: 4096,
			shmmax: shmDefaultSize, shmall: shmDefaultSize,
			sem:       []int64{32000, 1024000000, 500, 32000},
			queuesMax: 256, msgMax: 10, msgsizeMax: 8192, msgDefault: 10, msgsizeDefault: 8192,
		}
	}
	return n.limits
}

// ipcSysctls are kernel's IPC limits of namespace n: owned by the root of
// n's owner, writable by that root (ipc_permissions).
func ipcSysctls(n *IPCNamespace) map[string]sysctl {
	l := n.sysctls()
	owner := nsRoot(n.owner)
	perms := rootOrGroupPermissions(n.owner, 0o644)
	ulong := func(p *uint64) sysctl {
		return sysctl{
			mode: 0o644, owner: owner, permissions: perms,
			read: func(*Task) string { return strconv.FormatUint(*p, 10) + "\n" },
			write: func(_ *Task, data string) error {
				f := strings.Fields(data)
				if len(f) == 0 {
					return nil
				}
				v, err := strconv.ParseUint(f[0], 10, 64)
				if err != nil {
					return EINVAL
				}
				*p = v
				return nil
			},
		}
	}
	return map[string]sysctl{
		"msgmni":          intSysctl(0o644, owner, perms, &l.msgmni, 0, ipcMNI),
		"msgmax":          intSysctl(0o644, owner, perms, &l.msgmax, 0, math.MaxInt32),
		"msgmnb":          intSysctl(0o644, owner, perms, &l.msgmnb, 0, math.MaxInt32),
		"shmmni":          intSysctl(0o644, owner, perms, &l.shmmni, 0, ipcMNI),
		"shm_rmid_forced": intSysctl(0o644, owner, perms, &l.shmRmidForced, 0, 1),
		"shmmax":          ulong(&l.shmmax),
		"shmall":          ulong(&l.shmall),
		// proc_ipc_sem_dointvec: SEMMNI may not exceed IPCMNI.
		"sem": vecSysctl(0o644, owner, perms, l.sem, math.MinInt32, math.MaxInt32, func(v []int64) bool { return v[3] >= 0 && v[3] <= ipcMNI }),
	}
}

// mqueueSysctls are fs/mqueue of IPC namespace n (mq_permissions).
func mqueueSysctls(n *IPCNamespace) map[string]any {
	l := n.sysctls()
	owner := nsRoot(n.owner)
	perms := rootOrGroupPermissions(n.owner, 0o644)
	return map[string]any{
		"queues_max":      intSysctl(0o644, owner, perms, &l.queuesMax, math.MinInt32, math.MaxInt32),
		"msg_max":         intSysctl(0o644, owner, perms, &l.msgMax, 1, mqHardMsgMax),
		"msgsize_max":     intSysctl(0o644, owner, perms, &l.msgsizeMax, mqMinMsgSize, mqHardMsgSize),
		"msg_default":     intSysctl(0o644, owner, perms, &l.msgDefault, 1, mqHardMsgMax),
		"msgsize_default": intSysctl(0o644, owner, perms, &l.msgsizeDefault, mqMinMsgSize, mqHardMsgSize),
	}
}

// pidMaxSysctl is kernel/pid_max of the opener's PID namespace: owned by
// the root of its owner, writable by the holder of CAP_SYS_ADMIN there or
// by that root (pid_table_root_permissions), from 301 to 4194304.
func pidMaxSysctl(ns *PIDNamespace) sysctl {
	owner := nsRoot(ns.owner)
	perms := func(w *Task) uint32 {
		uid, gid := owner()
		switch {
		case w.creds.HasCapabilityIn(CapSysAdmin, ns.owner) || w.creds.EUID == uid:
			return replicate(0o644 >> 6)
		case w.creds.EGID == gid || inGroups(gid, w.creds.Groups):
			return replicate(0o644 >> 3)
		}
		return replicate(0o644)
	}
	return intSysctl(0o644, owner, perms, &ns.pidMax, 301, pidMax)
}
