package sim

import "strings"

// mountstatsText renders /proc/PID/mountstats (proc(5): "exports
// information (statistics, configuration information) about the mounts in
// the process's mount namespace"): a line per mount, with statistics only
// for NFS, which the lab has none of (show_vfsstat).
func (k *Kernel) mountstatsText(t *Task) string {
	var b strings.Builder
	for _, m := range t.ns.mnt.mounts {
		b.WriteString("device " + escapeMountPath(m.sb.source) + " mounted on " + escapeMountPath(m.point) + " with fstype " + m.sb.fstype + "\n")
	}
	return b.String()
}
