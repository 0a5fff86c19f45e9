package sim

import (
	"sort"
	"strings"
)

// This file mounts cgroup file systems. The lab's machine is a cgroup
// v1/v2 hybrid: the v1 hierarchies of /proc/PID/cgroup (cgroupText), with
// the lab's processes at the root of name=systemd, freezer and devices,
// and the unified v2 one. cgroup_namespaces(7): a process may mount a
// cgroup file system only with CAP_SYS_ADMIN in the user namespace owning
// its cgroup namespace, and the mount's root is that namespace's root; in
// a namespace other than the initial one, a v1 mount must name exactly one
// existing hierarchy (making a new one is EPERM).

// cgroupV1Hierarchies are the machine's v1 hierarchies, by the option
// naming each.
var cgroupV1Hierarchies = []string{"name=systemd", "pids", "blkio", "freezer", "devices", "memory", "cpuset", "cpuacct", "cpu"}

// cgroupV1Simulated are the hierarchies whose files the simulator shows;
// the others hold controller files (memory.*, cpu.* …) with the machine's
// figures, which it does not simulate: mounting them fails as a kernel
// built without the controller refuses the option (EINVAL).
var cgroupV1Simulated = map[string]bool{"name=systemd": true, "freezer": true, "devices": true}

// cgroupV1Options checks the options of a v1 mount (cgroup1_parse_param
// and cgroup1_get_tree outside the initial cgroup namespace) and returns
// the hierarchy they name.
func cgroupV1Options(data string) (string, error) {
	var controllers []string
	name, none := "", false
	for _, o := range strings.Split(data, ",") {
		switch {
		case o == "" || o == "rw" || o == "ro":
		case o == "none":
			none = true
		case strings.HasPrefix(o, "name="):
			name = o
		default:
			controllers = append(controllers, o)
		}
	}
	exists := func(h string) bool {
		for _, x := range cgroupV1Hierarchies {
			if x == h {
				return true
			}
		}
		return false
	}
	switch {
	case none && len(controllers) > 0, none && name == "":
		return "", EINVAL
	case name != "" && len(controllers) == 0:
		if !exists(name) {
			if none {
				return "", EPERM // a new named hierarchy
			}
			return "", EINVAL
		}
		return name, nil
	case len(controllers) == 1 && name == "" && exists(controllers[0]):
		return controllers[0], nil
	}
	// Every controller (no option), a set no hierarchy has, or one not
	// mounted on the machine: a new hierarchy.
	return "", EPERM
}

// newCgroupFilesystem is mount(2) of "cgroup" or "cgroup2" for t.
func (k *Kernel) newCgroupFilesystem(t *Task, source, fstype, data string) (*superblock, error) {
	ns := t.ns.cgroup
	if !t.creds.HasCapabilityIn(CapSysAdmin, ns.owner) {
		return nil, EPERM
	}
	if fstype == "cgroup2" {
		// nsdelegate is only the initial namespace's to give.
		return k.newSuperblock("cgroup2", source, "rw"), nil
	}
	h, err := cgroupV1Options(data)
	if err != nil {
		return nil, err
	}
	if !cgroupV1Simulated[h] {
		return nil, EINVAL
	}
	sb := k.newSuperblock("cgroup", source, "rw,"+h)
	root := sb.root
	root.perm = 0o555
	files := map[string]*inode{
		"cgroup.clone_children": synthFile(0o644, func(*Task) string { return "0\n" }),
		"cgroup.procs":          synthFile(0o644, func(v *Task) string { return k.cgroupProcs(ns, v) }),
		"cgroup.sane_behavior":  synthFile(0o444, func(*Task) string { return "0\n" }),
		"notify_on_release":     synthFile(0o644, func(*Task) string { return "0\n" }),
		"release_agent":         synthFile(0o644, func(*Task) string { return "\n" }),
		// tasks lists threads; a simulated process has one.
		"tasks": synthFile(0o644, func(v *Task) string { return k.cgroupProcs(ns, v) }),
	}
	if h == "devices" {
		files["devices.list"] = synthFile(0o444, func(*Task) string { return "a *:* rwm\n" })
		files["devices.allow"] = &inode{kind: kindFile, perm: 0o200, write: func(*Task, []byte) error { return EPERM }}
		files["devices.deny"] = &inode{kind: kindFile, perm: 0o200, write: func(*Task, []byte) error { return EPERM }}
	}
	for name, f := range files {
		root.children[name] = f
	}
	return sb, nil
}

// cgroupProcs is a v1 cgroup.procs of namespace ns's root cgroup for
// reader v: the PIDs, in v's PID namespace, of the processes there, sorted
// as a v1 pidlist is.
func (k *Kernel) cgroupProcs(ns *CgroupNamespace, v *Task) string {
	var pids []int
	for _, t := range k.tasks {
		if t.exited || t.cgroup != ns.root {
			continue
		}
		if nr := v.PIDNS().PIDOf(t); nr != 0 {
			pids = append(pids, nr)
		}
	}
	sort.Ints(pids)
	var b strings.Builder
	for _, p := range pids {
		b.WriteString(itoa(p) + "\n")
	}
	return b.String()
}
