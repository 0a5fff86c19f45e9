package sim

import "strings"

// This file is lsns's NETNSID and NSFS columns. NETNSID is the id the
// reader's network namespace gives a network namespace (RTM_GETNSID),
// "unassigned" when it has given none, the reader's own included; NSFS
// the places where the namespace's nsfs file is mounted in the reader's
// mount namespace (ip netns's /run/netns/NAME). With -t net among the
// types and no -o, lsns shows both before COMMAND.

// lsnsNetColumns adds NETNSID and NSFS to the default columns when the
// types asked for include net.
func lsnsNetColumns(opts []parsedOpt, types map[NSType]bool, cols []string) []string {
	for _, o := range opts {
		if o.code == 'o' {
			return cols
		}
	}
	if !types[NSNet] {
		return cols
	}
	last := len(cols) - 1
	return append(append(append([]string(nil), cols[:last]...), "NETNSID", "NSFS"), cols[last:]...)
}

// lsnsNetValue is a row's NETNSID or NSFS cell for reader t.
func lsnsNetValue(t *Task, n Namespace, col string) string {
	if col == "NSFS" {
		// Each path once (nsfs_xasputs's is_path_included): ip netns's
		// mount shows twice in mountinfo, on /run/netns and on its bind.
		var at []string
		seen := map[string]bool{}
		for _, m := range t.ns.mnt.mounts {
			if m.sb.fstype == "nsfs" && m.sb.ns == n && !seen[m.point] {
				seen[m.point] = true
				at = append(at, m.point)
			}
		}
		// lsns puts several on lines of their own within the cell,
		// which the simulated table cannot draw: they go on one line.
		return strings.Join(at, ",")
	}
	net, ok := n.(*NetNamespace)
	if !ok {
		return ""
	}
	if id, ok := t.ns.net.peerIDs[net]; ok && net != t.ns.net {
		return itoa(id)
	}
	return "unassigned"
}
