package sim

import "strings"

// This file holds a task's root directory: chroot(2), chroot(1), and the
// paths a task sees below its root.

// fullPath turns a path as t sees it into a path of its mount namespace.
func (t *Task) fullPath(p string) string {
	if t == nil || t.root == "" || t.root == "/" {
		return p
	}
	if p == "/" {
		return t.root
	}
	return t.root + p
}

// visiblePath turns a path of t's mount namespace into the path t sees
// from its root. A path outside the root stays as it is (the kernel's
// d_path would prefix it with "(unreachable)").
func (t *Task) visiblePath(p string) string {
	if t == nil || t.root == "" || t.root == "/" {
		return p
	}
	switch {
	case p == t.root:
		return "/"
	case strings.HasPrefix(p, t.root+"/"):
		return p[len(t.root):]
	}
	return p
}

// seesMount tells whether m's mount point lies below t's root, which
// /proc/PID/mountinfo requires of the mounts it shows to t.
func (t *Task) seesMount(m *Mount) bool {
	if t == nil || t.root == "" || t.root == "/" {
		return true
	}
	return m.point == t.root || strings.HasPrefix(m.point, t.root+"/")
}

// Chroot is chroot(2): "Only a privileged process (Linux: one with the
// CAP_SYS_CHROOT capability in its user namespace) may call chroot()";
// the working directory is left alone.
func (k *Kernel) Chroot(t *Task, dir string) error {
	r, err := k.lookup(t, dir, true)
	if err != nil {
		return err
	}
	if !r.node.isDir() {
		return ENOTDIR
	}
	if !k.mayAccess(t, r.node, mayExec) {
		return EACCES
	}
	if !t.creds.HasCapabilityIn(CapSysChroot, t.creds.UserNS) {
		return EPERM
	}
	t.root = r.path
	return nil
}

// chrootProgram is coreutils' chroot: chroot(2) to NEWROOT, chdir("/"),
// then run COMMAND, or "${SHELL} -i" when there is none.
func chrootProgram(p *Proc) int {
	spec := optSpec{short: map[byte]int{}, long: map[string]longOpt{"help": {'h', 0}, "version": {'V', 0}}}
	opts, args, msg := getoptLong(spec, p.Args[1:], true)
	if msg != "" {
		p.Errorf("chroot: %s\nTry 'chroot --help' for more information.\n", msg)
		return 125
	}
	for _, o := range opts {
		switch o.code {
		case 'h':
			p.Printf("Usage: chroot [OPTION]... NEWROOT [COMMAND [ARG]...]\nRun COMMAND with root directory set to NEWROOT.\n")
			return 0
		case 'V':
			p.Printf("chroot (GNU coreutils) 9.1\n")
			return 0
		}
	}
	if len(args) == 0 {
		p.Errorf("chroot: missing operand\nTry 'chroot --help' for more information.\n")
		return 125
	}
	if err := p.K.Chroot(p.T, args[0]); err != nil {
		p.Errorf("chroot: cannot change root directory to '%s': %s\n", args[0], errText(err, ENOENT))
		return 125
	}
	// chroot(1) changes to the new root, as chroot(2) does not.
	p.T.cwd = "/"
	cmd := args[1:]
	if len(cmd) == 0 {
		shell := p.Getenv("SHELL")
		if shell == "" {
			shell = "/bin/sh"
		}
		cmd = []string{shell, "-i"}
	}
	file, node, err := p.K.findExecutable(p.T, cmd[0])
	if err == nil {
		err = p.K.execve(p.T, file, node, cmd)
	}
	p.Errorf("chroot: failed to run command ‘%s’: %s\n", cmd[0], err.Error())
	if err == ENOENT {
		return 127
	}
	return 126
}
