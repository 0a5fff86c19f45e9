package sim

import (
	"sort"
	"strconv"
	"strings"
)

// This file holds ip netns of iproute2 6.1: named network namespaces,
// each a bind mount of a namespace's nsfs file on /run/netns/NAME, and
// ip -n NAME, which runs ip inside one.

// netnsRunDir is NETNS_RUN_DIR.
const netnsRunDir = "/run/netns"

// netnsPath is where ip finds a named namespace: NAME under /run/netns,
// or NAME itself when it holds a slash.
func netnsPath(name string) string {
	if strings.Contains(name, "/") {
		return name
	}
	return netnsRunDir + "/" + name
}

// ipNetnsCmd is ip netns.
func ipNetnsCmd(p *Proc, args []string) int {
	if len(args) == 0 {
		return ipNetnsList(p)
	}
	cmd, rest := args[0], args[1:]
	needName := func() bool {
		if len(rest) == 0 {
			p.Errorf("No netns name specified\n")
			return false
		}
		return true
	}
	switch {
	case ipMatches(cmd, "list") || cmd == "show" || cmd == "lst":
		return ipNetnsList(p)
	case ipMatches(cmd, "add"):
		if !needName() {
			return 1
		}
		return ipNetnsAdd(p, rest[0])
	case ipMatches(cmd, "delete"):
		if !needName() {
			return 1
		}
		return ipNetnsDelete(p, rest[0])
	case ipMatches(cmd, "exec"):
		if !needName() {
			return 1
		}
		if len(rest) < 2 {
			p.Errorf("No command specified\n")
			return 1
		}
		if code := ipNetnsSwitch(p, rest[0]); code != 0 {
			return code
		}
		file, node, err := p.K.findExecutable(p.T, rest[1])
		if err == nil {
			err = p.K.execve(p.T, file, node, rest[1:])
		}
		p.Errorf("exec of \"%s\" failed: %s\n", rest[1], err.Error())
		return 1
	case ipMatches(cmd, "identify"):
		return ipNetnsIdentify(p, rest)
	case ipMatches(cmd, "pids"):
		if !needName() {
			return 1
		}
		return ipNetnsPids(p, rest[0])
	}
	p.Errorf("Command \"%s\" is unknown, try \"ip netns help\".\n", cmd)
	return 255
}

// netnsEntry is one name under /run/netns and the namespace bound on it.
type netnsEntry struct {
	name string
	ns   Namespace // nil for a file nothing is bound on
}

// netnsEntries lists /run/netns in the order readdir(3) gives on tmpfs:
// the newest entry first.
func netnsEntries(p *Proc) []netnsEntry {
	r, err := p.K.lookup(p.T, netnsRunDir, true)
	if err != nil || !r.node.isDir() {
		return nil
	}
	type ent struct {
		name string
		ino  uint64
	}
	var ents []ent
	for name, n := range r.node.children {
		ents = append(ents, ent{name, n.ino})
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].ino > ents[j].ino })
	out := make([]netnsEntry, 0, len(ents))
	for _, e := range ents {
		ns, err := p.K.nsFromFile(p.T, netnsRunDir+"/"+e.name)
		if err != nil {
			ns = nil
		}
		out = append(out, netnsEntry{name: e.name, ns: ns})
	}
	return out
}

// ipNetnsName is the name ip gives a network namespace: the first entry
// of /run/netns bound to it, or "".
func ipNetnsName(p *Proc, n *NetNamespace) string {
	for _, e := range netnsEntries(p) {
		if e.ns == Namespace(n) {
			return e.name
		}
	}
	return ""
}

// ipNetnsList is ip netns list: the names, each with the id the caller's
// namespace gives it, once it has given one.
func ipNetnsList(p *Proc) int {
	var b strings.Builder
	own := p.T.ns.net
	for _, e := range netnsEntries(p) {
		b.WriteString(e.name)
		if n, ok := e.ns.(*NetNamespace); ok {
			if id, ok := own.peerIDs[n]; ok {
				b.WriteString(" (id: " + itoa(id) + ")")
			}
		}
		b.WriteString("\n")
	}
	p.Stdout().Write([]byte(b.String()))
	return 0
}

// ipNetnsAdd is ip netns add NAME, as iproute2 does it: make /run/netns
// a shared mount (binding it on itself the first time), create the file,
// unshare a network namespace and bind /proc/self/ns/net on the file.
func ipNetnsAdd(p *Proc, name string) int {
	if name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
		p.Errorf("Invalid netns name \"%s\"\n", name)
		return 1
	}
	k, t := p.K, p.T
	if err := k.Mkdir(t, netnsRunDir); err != nil && err != EEXIST {
		p.Errorf("mkdir %s failed: %s\n", netnsRunDir, err.Error())
		return 1
	}
	for made := false; ; made = true {
		err := k.Mount(t, "", netnsRunDir, "none", MSShared|MSRec, "")
		if err == nil {
			break
		}
		if err != EINVAL || made {
			p.Errorf("mount --make-shared %s failed: %s\n", netnsRunDir, err.Error())
			return 1
		}
		if err := k.Mount(t, netnsRunDir, netnsRunDir, "none", MSBind|MSRec, ""); err != nil {
			p.Errorf("mount --bind %s %s failed: %s\n", netnsRunDir, netnsRunDir, err.Error())
			return 1
		}
	}
	path := netnsRunDir + "/" + name
	if _, err := k.lookup(t, path, false); err == nil {
		p.Errorf("Cannot create namespace file \"%s\": %s\n", path, EEXIST.Error())
		return 1
	}
	f, err := k.open(t, path, openRead|openCreate)
	if err != nil {
		p.Errorf("Cannot create namespace file \"%s\": %s\n", path, err.Error())
		return 1
	}
	if f.node != nil {
		f.node.perm = 0 // open(path, O_RDONLY|O_CREAT|O_EXCL, 0)
	}
	if err := k.Unshare(t, CloneNewNet); err != nil {
		p.Errorf("Failed to create a new network namespace \"%s\": %s\n", name, err.Error())
		k.unlinkNetns(t, path)
		return 1
	}
	if err := k.Mount(t, "/proc/self/ns/net", path, "none", MSBind, ""); err != nil {
		p.Errorf("Bind /proc/self/ns/net -> %s failed: %s\n", path, err.Error())
		k.Umount(t, path, true)
		k.unlinkNetns(t, path)
		return 1
	}
	return 0
}

// unlinkNetns is unlink(2) of a /run/netns entry.
func (k *Kernel) unlinkNetns(t *Task, path string) error {
	r, err := k.lookup(t, path, false)
	if err != nil {
		return err
	}
	if r.parent == nil || !k.mayWrite(t, r.parent) {
		return EACCES
	}
	if r.mnt.point == r.path {
		return EBUSY
	}
	delete(r.parent.children, r.name)
	return nil
}

// ipNetnsDelete is ip netns delete NAME: unmount (lazily) and unlink; the
// namespace ends once nothing else holds it, and its devices with it.
func ipNetnsDelete(p *Proc, name string) int {
	path := netnsRunDir + "/" + name
	p.K.Umount(p.T, path, true)
	if err := p.K.unlinkNetns(p.T, path); err != nil {
		p.Errorf("Cannot remove namespace file \"%s\": %s\n", path, err.Error())
		return 1
	}
	p.K.collectNamespaces()
	p.K.netRefresh()
	return 0
}

// ipNetnsSwitch moves ip into a named network namespace, as ip netns exec
// and ip -n do: setns, a mount namespace of its own whose mounts receive
// but do not send events (make-rslave /), and a /sys of the namespace
// (the old one is unmounted where it may be, else covered).
func ipNetnsSwitch(p *Proc, name string) int {
	k, t := p.K, p.T
	ns, err := k.nsFromFile(t, netnsPath(name))
	if err != nil && err != errNotNSFile {
		p.Errorf("Cannot open network namespace \"%s\": %s\n", name, err.Error())
		return 255
	}
	if _, ok := ns.(*NetNamespace); !ok || err != nil {
		p.Errorf("setting the network namespace \"%s\" failed: %s\n", name, EINVAL.Error())
		return 255
	}
	if err := k.Setns(t, ns); err != nil {
		p.Errorf("setting the network namespace \"%s\" failed: %s\n", name, err.Error())
		return 255
	}
	if err := k.Unshare(t, CloneNewNS); err != nil {
		p.Errorf("unshare failed: %s\n", err.Error())
		return 255
	}
	if err := k.Mount(t, "", "/", "none", MSSlave|MSRec, ""); err != nil {
		p.Errorf("\"mount --make-rslave /\" failed: %s\n", err.Error())
		return 255
	}
	var flags MountFlags
	if r, err := k.lookup(t, "/sys", true); err == nil && r.mnt.ro() {
		flags = MSRdonly
	}
	k.Umount(t, "/sys", true)
	if err := k.Mount(t, name, "/sys", "sysfs", flags, ""); err != nil {
		p.Errorf("mount of /sys failed: %s\n", err.Error())
		return 255
	}
	return 0
}

// ipNetnsArg resolves the NS of ip link set DEV netns NS: a name under
// /run/netns, else a PID. A PID that is no process gives nil (the kernel
// then says ESRCH).
func ipNetnsArg(p *Proc, val string) (*NetNamespace, int) {
	if ns, err := p.K.nsFromFile(p.T, netnsPath(val)); err == nil {
		if n, ok := ns.(*NetNamespace); ok {
			return n, 0
		}
	}
	pid, err := strconv.Atoi(val)
	if err != nil || pid < 0 {
		p.Errorf("Error: argument \"%s\" is wrong: Invalid \"netns\" value\n\n", val)
		return nil, 255
	}
	if t := p.T.PIDNS().tasks[pid]; t != nil && !t.exited {
		return t.ns.net, 0
	}
	return nil, 0
}

// ipNetnsIdentify is ip netns identify [PID]: the name of the process's
// network namespace (the last that matches), or an empty line.
func ipNetnsIdentify(p *Proc, args []string) int {
	var target *Task
	if len(args) == 0 {
		target = p.T
	} else {
		pid, err := strconv.Atoi(args[0])
		if err == nil {
			target = p.T.PIDNS().tasks[pid]
		}
		if target == nil || target.exited {
			p.Errorf("Cannot open network namespace: %s\n", ENOENT.Error())
			return 1
		}
	}
	name := ""
	for _, e := range netnsEntries(p) {
		if e.ns == Namespace(target.ns.net) {
			name = e.name
		}
	}
	p.Printf("%s\n", name)
	return 0
}

// ipNetnsPids is ip netns pids NAME: the processes in it, as the caller's
// /proc lists them.
func ipNetnsPids(p *Proc, name string) int {
	ns, err := p.K.nsFromFile(p.T, netnsPath(name))
	if err != nil {
		p.Errorf("Cannot open network namespace \"%s\": %s\n", name, errText(err, EINVAL))
		return 1
	}
	own := p.T.PIDNS()
	var pids []int
	for pid, t := range own.tasks {
		if !t.exited && Namespace(t.ns.net) == ns {
			pids = append(pids, pid)
		}
	}
	sort.Ints(pids)
	for _, pid := range pids {
		p.Printf("%d\n", pid)
	}
	return 0
}
