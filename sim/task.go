package sim

import "sort"

// Signals the simulated kernel knows, numbered as on x86-64.
const (
	SIGHUP  = 1
	SIGINT  = 2
	SIGQUIT = 3
	SIGKILL = 9
	SIGUSR1 = 10
	SIGUSR2 = 12
	SIGPIPE = 13
	SIGALRM = 14
	SIGTERM = 15
	SIGCHLD = 17
	SIGCONT = 18
	SIGSTOP = 19
	SIGTSTP = 20
)

// maxLabTasks is the live engine's default pids limit (256) less the
// threads of its init beyond the first.
const maxLabTasks = 256 - 5

// nsProxy is the set of namespaces a task is in, besides its user
// namespace (in its credentials) and its PID namespace (in its PIDs).
type nsProxy struct {
	uts             *UTSNamespace
	ipc             *IPCNamespace
	mnt             *MountNamespace
	net             *NetNamespace
	cgroup          *CgroupNamespace
	pidForChildren  *PIDNamespace
	time            *TimeNamespace
	timeForChildren *TimeNamespace
}

// Task is a simulated process (one thread).
type Task struct {
	k        *Kernel
	pids     []pidLink // from the lab host's PID namespace down to its own
	parent   *Task
	children []*Task
	pgid     int    // lab host PID of the group leader
	sid      int    // lab host PID of the session leader
	ttyName  string // controlling terminal ("pts/0"), empty for none

	comm   string
	argv   []string
	exe    string // the program file, links resolved
	env    []string
	cwd    string
	umask  uint32 // the file mode creation mask, umask(2)
	creds  *Credentials
	ns     nsProxy
	cgroup string // path in the cgroup hierarchy, from the machine's root

	// root is the task's root directory (chroot(2)) as a path of its
	// mount namespace; "" for the namespace's root. cwd is a path as the
	// task sees it, below root.
	root string

	startTime int64 // k.now when forked
	fds       map[int]*File

	// Signals.
	pending []int
	handled map[int]bool // signals the program catches
	ignored map[int]bool // signals the program ignores
	stopped bool
	// onSignal is the program's handler for the signals in handled, run at
	// the task's next preemption point.
	onSignal func(sig int)
	// interactiveShell marks an interactive shell, which ^C does not
	// signal while it waits for its foreground job.
	interactiveShell bool
	// pdeathSig is sent to the task when its parent dies
	// (PR_SET_PDEATHSIG); 0 for none.
	pdeathSig int
	// isInit marks a task whose program is an init that reaps orphans.
	isInit bool

	// Life cycle.
	started, exited, exiting bool
	reaped                   bool
	status                   int // wait(2) status once exited

	// Scheduling (see sched.go).
	resume   chan struct{}
	waitCond func() bool
	wakeAt   int64
}

// PID returns t's PID in the lab host's PID namespace.
func (t *Task) PID() int { return t.pids[0].nr }

// PIDNS returns t's own PID namespace.
func (t *Task) PIDNS() *PIDNamespace { return t.pids[len(t.pids)-1].ns }

// VPID returns t's PID as t itself sees it.
func (t *Task) VPID() int { return t.pids[len(t.pids)-1].nr }

// Creds returns t's credentials.
func (t *Task) Creds() *Credentials { return t.creds }

// Comm returns t's command name.
func (t *Task) Comm() string { return t.comm }

// PPIDIn returns the PID of t's parent as seen from ns, 0 when the parent
// is not visible there ("the parent is outside the namespace": getppid(2)
// returns 0).
func (t *Task) PPIDIn(ns *PIDNamespace) int {
	if t.parent == nil {
		return 0
	}
	return ns.PIDOf(t.parent)
}

// pendingFatal returns a pending signal whose action ends the task, or 0.
func (t *Task) pendingFatal() int {
	for _, s := range t.pending {
		if s == SIGKILL {
			return s
		}
		if t.handled[s] || t.ignored[s] || defaultIgnored(s) {
			continue
		}
		return s
	}
	return 0
}

func defaultIgnored(sig int) bool {
	return sig == SIGCHLD || sig == SIGCONT || sig == 23 /* SIGURG */ || sig == 28 /* SIGWINCH */
}

// fork makes a child of t (fork(2)): same credentials, namespaces (the PID
// namespace being t's pid_for_children), descriptors and environment.
func (k *Kernel) fork(t *Task) (*Task, error) {
	// The live engine's pids cgroup limit: 256 tasks, the init's threads
	// included. fork(2): "EAGAIN A system-imposed limit on the number of
	// threads was encountered".
	if len(k.tasks) >= maxLabTasks {
		return nil, EAGAIN
	}
	pidns := t.ns.pidForChildren
	pids, err := k.allocPID(pidns)
	if err != nil {
		return nil, err
	}
	c := &Task{
		k: k, pids: pids, parent: t, pgid: t.pgid, sid: t.sid, ttyName: t.ttyName,
		comm: t.comm, argv: t.argv, exe: t.exe, env: append([]string(nil), t.env...), cwd: t.cwd, root: t.root, umask: t.umask,
		creds: t.creds, ns: t.ns, cgroup: t.cgroup, startTime: k.now,
		fds: map[int]*File{}, handled: map[int]bool{}, ignored: map[int]bool{},
	}
	// A time namespace made by unshare(CLONE_NEWTIME) is entered by the
	// children: "the calling process's children ... will be members of the
	// new namespace" (time_namespaces(7)).
	c.ns.time = t.ns.timeForChildren
	if c.ns.time != nil {
		c.ns.time.frozen = true
	}
	for fd, f := range t.fds {
		c.fds[fd] = f.dup()
	}
	for s, ign := range t.ignored {
		if ign {
			c.ignored[s] = true
		}
	}
	k.attach(c)
	t.children = append(t.children, c)
	return c, nil
}

// attach registers a new task with its PID namespaces and the scheduler.
func (k *Kernel) attach(c *Task) {
	for _, l := range c.pids {
		l.ns.tasks[l.nr] = c
	}
	own := c.PIDNS()
	if own.reaper == nil && c.VPID() == 1 {
		own.reaper = c
	}
	c.refNamespaces(+1)
	k.tasks = append(k.tasks, c)
}

// refNamespaces counts t in or out of its namespaces.
func (t *Task) refNamespaces(d int) {
	for _, n := range t.namespaces() {
		if n != nil {
			n.common().refs += d
		}
	}
}

// namespaces lists the namespaces t holds, for reference counting.
func (t *Task) namespaces() []Namespace {
	out := []Namespace{t.creds.UserNS, t.PIDNS(), t.ns.uts, t.ns.ipc, t.ns.mnt, t.ns.net, t.ns.cgroup, t.ns.pidForChildren}
	if t.ns.time != nil {
		out = append(out, t.ns.time)
	}
	if t.ns.timeForChildren != nil && t.ns.timeForChildren != t.ns.time {
		out = append(out, t.ns.timeForChildren)
	}
	return out
}

// setNS replaces t's namespaces keeping reference counts right.
func (t *Task) setNS(p nsProxy, c *Credentials) {
	t.refNamespaces(-1)
	t.ns = p
	t.creds = c
	t.refNamespaces(+1)
}

// exitTask is do_exit: close descriptors, hand children to a reaper, and
// become a zombie for the parent to reap. For a PID namespace's init it is
// also zap_pid_ns_processes.
func (k *Kernel) exitTask(t *Task, status int) {
	t.exiting = true
	for fd := range t.fds {
		t.closeFD(fd)
	}
	own := t.PIDNS()
	if own.reaper == t {
		k.zapPIDNamespace(t, own)
	}
	k.reparentChildren(t)
	t.exited = true
	t.status = status
	t.refNamespaces(-1)
	if t.parent == nil {
		k.release(t)
		return
	}
	t.parent.signal(SIGCHLD)
}

// zapPIDNamespace is what happens when a PID namespace's init terminates:
// "If the "init" process of a PID namespace terminates, the kernel
// terminates all of the processes in the namespace via a SIGKILL signal"
// and the namespace accepts no new processes (pid_namespaces(7)).
func (k *Kernel) zapPIDNamespace(init *Task, ns *PIDNamespace) {
	ns.adding = false
	for _, t := range ns.tasks {
		if t != init && !t.exited {
			t.sendSignal(SIGKILL)
		}
	}
	// The init waits for every other member to be gone, reaping those
	// that are its children.
	others := func() bool {
		for _, t := range ns.tasks {
			if t != init && t.started && !t.exited {
				return false
			}
		}
		return true
	}
	init.block(others, 0)
	for _, c := range append([]*Task(nil), init.children...) {
		if c.exited && ns.PIDOf(c) != 0 {
			k.reap(init, c)
		}
	}
}

// reparentChildren hands t's children to the init of t's PID namespace:
// "If a parent process terminates, its children are reparented to the
// init process of the PID namespace of the parent" (pid_namespaces(7):
// "the "init" process ... becomes the parent of all orphaned child
// processes ... in the namespace").
func (k *Kernel) reparentChildren(t *Task) {
	if len(t.children) == 0 {
		return
	}
	reaper := t.PIDNS().reaper
	for ns := t.PIDNS(); reaper == t || reaper == nil || reaper.exited; {
		ns = ns.parent
		if ns == nil {
			reaper = nil
			break
		}
		reaper = ns.reaper
	}
	orphans := t.children
	t.children = nil
	for _, c := range orphans {
		if c.pdeathSig != 0 && !c.exited {
			c.sendSignal(c.pdeathSig)
		}
		c.parent = reaper
		switch {
		case reaper == nil:
			if c.exited {
				k.release(c)
			}
		default:
			reaper.children = append(reaper.children, c)
			if c.exited {
				reaper.signal(SIGCHLD)
			}
		}
	}
}

// reap collects a zombie child (wait(2)) and returns its wait status.
func (k *Kernel) reap(parent, c *Task) int {
	for i, x := range parent.children {
		if x == c {
			parent.children = append(parent.children[:i], parent.children[i+1:]...)
			break
		}
	}
	k.release(c)
	return c.status
}

// release frees a task's PIDs.
func (k *Kernel) release(t *Task) {
	if t.reaped {
		return
	}
	t.reaped = true
	for _, l := range t.pids {
		if l.ns.tasks[l.nr] == t {
			delete(l.ns.tasks, l.nr)
		}
		if l.ns.reaper == t {
			l.ns.reaper = nil
		}
	}
	for i, x := range k.tasks {
		if x == t {
			k.tasks = append(k.tasks[:i], k.tasks[i+1:]...)
			if k.rr >= i && k.rr > 0 {
				k.rr--
			}
			break
		}
	}
}

// zombieChild returns an exited child of t (pid 0: any), or nil.
func (t *Task) zombieChild(pid *Task) *Task {
	for _, c := range t.children {
		if c.exited && (pid == nil || c == pid) {
			return c
		}
	}
	return nil
}

// wait blocks until child c exits and reaps it (waitpid(2)); zombies of
// other children that turn up meanwhile are reaped too when reapOthers
// is set, as a shell's waitpid(-1) loop does.
func (t *Task) wait(c *Task, reapOthers bool) int {
	t.block(func() bool { return c.exited }, 0)
	if reapOthers {
		for z := t.zombieChild(nil); z != nil; z = t.zombieChild(nil) {
			if z != c {
				t.k.reap(t, z)
			} else {
				break
			}
		}
	}
	return t.k.reap(t, c)
}

// signal queues sig for t without permission checks (the kernel's own
// signals: SIGCHLD, SIGKILL of a dying namespace).
func (t *Task) signal(sig int) {
	if t.exited {
		return
	}
	if sig == SIGCHLD && !t.handled[SIGCHLD] {
		return
	}
	t.sendSignal(sig)
}

func (t *Task) sendSignal(sig int) {
	if t.exited {
		return
	}
	if sig == SIGCONT {
		t.stopped = false
		return
	}
	if sig == SIGSTOP || sig == SIGTSTP && !t.handled[sig] && !t.ignored[sig] {
		t.stopped = true
		return
	}
	for _, s := range t.pending {
		if s == sig {
			return
		}
	}
	t.pending = append(t.pending, sig)
}

// Kill is kill(2) from t to the process with PID pid in t's PID namespace
// (pid > 0) or to every process t may signal (pid -1).
func (k *Kernel) Kill(t *Task, pid, sig int) error {
	if sig < 0 || sig > 64 {
		return EINVAL
	}
	if pid == -1 {
		found := false
		for _, x := range k.visibleTasks(t.PIDNS()) {
			if x == t || x.VPIDIn(t.PIDNS()) == 1 {
				continue
			}
			if k.mayKill(t, x) == nil {
				found = true
				if sig != 0 {
					x.deliver(t, sig)
				}
			}
		}
		if !found {
			return ESRCH
		}
		return nil
	}
	target := t.PIDNS().tasks[pid]
	if pid <= 0 || target == nil || target.exited {
		return ESRCH
	}
	if err := k.mayKill(t, target); err != nil {
		return err
	}
	if sig != 0 {
		target.deliver(t, sig)
		if target != t {
			t.yieldCPU()
		}
	}
	return nil
}

// VPIDIn is PIDOf from t's side.
func (t *Task) VPIDIn(ns *PIDNamespace) int { return ns.PIDOf(t) }

// mayKill implements kill(2)'s permission rule: "For a process to have
// permission to send a signal, it must either be privileged (under Linux:
// have the CAP_KILL capability in the user namespace of the target
// process), or the real or effective user ID of the sending process must
// equal the real or saved set-user-ID of the target process."
func (k *Kernel) mayKill(from, to *Task) error {
	c, tc := from.creds, to.creds
	if c.RealUID == tc.RealUID || c.RealUID == tc.SavedUID || c.EUID == tc.RealUID || c.EUID == tc.SavedUID {
		return nil
	}
	if c.HasCapabilityIn(CapKill, tc.UserNS) {
		return nil
	}
	return EPERM
}

// deliver applies the PID namespace rule for init before queueing sig:
// "Only signals for which the "init" process has established a signal
// handler can be sent to the "init" process by other members of the PID
// namespace. ... processes in an ancestor namespace can send signals to
// the "init" process ... the SIGKILL or SIGSTOP signal ... is forcibly
// delivered" (pid_namespaces(7)).
func (t *Task) deliver(from *Task, sig int) {
	own := t.PIDNS()
	if own.reaper == t {
		sameNS := from.PIDNS() == own
		if sameNS && !t.handled[sig] {
			return
		}
		if !sameNS && sig != SIGKILL && sig != SIGSTOP && !t.handled[sig] {
			return
		}
	}
	t.sendSignal(sig)
}

// visibleTasks lists the live tasks that have a PID in ns, by that PID.
func (k *Kernel) visibleTasks(ns *PIDNamespace) []*Task {
	out := make([]*Task, 0, len(ns.tasks))
	for _, t := range ns.tasks {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return ns.PIDOf(out[i]) < ns.PIDOf(out[j]) })
	return out
}
