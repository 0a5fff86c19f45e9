package sim

import (
	"path"
	"strings"
)

// suProgram is su(1) from util-linux 2.38 as root uses it on the lab host
// (`su - student`, `su student -c CMD`): it looks the user up in
// /etc/passwd and /etc/group, takes on the user's groups, gid and uid,
// and runs the user's shell in a child it waits for, as util-linux does
// (so ps shows su above the shell).
//
// Partial: there is no PAM and passwords are never checked: every
// account is taken as locked, as the lab host's curated /etc/shadow has
// them all, so a caller that is not root is asked for a password (the
// prompt on stderr, one line read from stdin, echoed on the simulated
// terminal where a real one would not echo it) and refused with
// "su: Authentication failure", status 1, as the real su refuses it for a
// locked account. An account given a password in /etc/shadow is not
// honoured. -p/-m, -g, -G, -P, -w and --session-command are not known and
// fail as unknown options.
func suProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'l': 0, 'c': 1, 's': 1, 'h': 0},
		long:  map[string]longOpt{"login": {'l', 0}, "command": {'c', 1}, "shell": {'s', 1}, "help": {'h', 0}},
	}
	args := p.Args[1:]
	login := false
	var rest []string
	for i, a := range args {
		// "-" alone, before the user, asks for a login shell.
		if a == "-" {
			login = true
			continue
		}
		rest = append(rest, a)
		_ = i
	}
	opts, operands, msg := getoptLong(spec, rest, false)
	if msg != "" {
		return usageError(p, "su", msg)
	}
	var command, shellOpt string
	hasCommand := false
	for _, o := range opts {
		switch o.code {
		case 'l':
			login = true
		case 'c':
			command, hasCommand = o.value, true
		case 's':
			shellOpt = o.value
		case 'h':
			p.Printf("\nUsage:\n su [options] [-] [<user> [<argument>...]]\n")
			return 0
		}
	}
	name := "root"
	if len(operands) > 0 {
		name, operands = operands[0], operands[1:]
	}
	ent, ok := passwdEntry(p, name)
	if !ok {
		p.Errorf("su: user %s does not exist or the user entry does not contain all the required fields\n", name)
		return 1
	}
	c := p.T.creds
	if c.UserNS.MungedUID(c.EUID) != 0 {
		// PAM asks, reads the answer, and refuses a locked account.
		p.Errorf("Password: ")
		readPasswordLine(p)
		p.Errorf("su: Authentication failure\n")
		return 1
	}
	shell := ent.shell
	if shellOpt != "" {
		shell = shellOpt
	}
	if shell == "" {
		shell = "/bin/sh"
	}

	child, err := p.K.fork(p.T)
	if err != nil {
		p.Errorf("su: cannot fork user shell: %s\n", err.Error())
		return 1
	}
	p.K.startTask(child, func(t *Task) int {
		cp := &Proc{T: t, K: p.K, Args: p.Args}
		return suChild(cp, ent, shell, login, command, hasCommand, operands)
	})
	// util-linux's parent ignores the terminal's signals while the
	// session runs, and exits as the shell did.
	p.T.ignored[SIGINT], p.T.ignored[SIGQUIT] = true, true
	st := p.T.wait(child, false)
	if sig := st & 0x7f; sig != 0 {
		return 128 + sig
	}
	return st >> 8 & 0xff
}

// suChild takes on the user's credentials and environment and runs the
// shell.
func suChild(p *Proc, ent passwdEnt, shell string, login bool, command string, hasCommand bool, args []string) int {
	if err := p.K.SetgroupsTo(p.T, supplementaryGroups(p, ent.name)); err != nil {
		p.Errorf("su: cannot set groups: %s\n", err.Error())
		return 1
	}
	if err := p.K.Setgid(p.T, GID(ent.gid)); err != nil {
		p.Errorf("su: cannot set group id: %s\n", err.Error())
		return 1
	}
	if err := p.K.Setuid(p.T, UID(ent.uid)); err != nil {
		p.Errorf("su: cannot set user id: %s\n", err.Error())
		return 1
	}
	set := map[string]string{"HOME": ent.home, "SHELL": shell}
	if ent.uid != 0 {
		set["USER"], set["LOGNAME"] = ent.name, ent.name
	}
	env := p.T.env
	if login {
		// "--login … clears all the environment variables except TERM",
		// then sets PATH as login.defs' ENV_PATH / ENV_SUPATH on Debian.
		env = nil
		for _, kv := range p.T.env {
			if strings.HasPrefix(kv, "TERM=") {
				env = append(env, kv)
			}
		}
		set["USER"], set["LOGNAME"] = ent.name, ent.name
		set["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
		if ent.uid == 0 {
			set["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
		}
	}
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; !ok {
			out = append(out, kv)
		}
	}
	for _, k := range []string{"HOME", "SHELL", "USER", "LOGNAME", "PATH"} {
		if v, ok := set[k]; ok {
			out = append(out, k+"="+v)
		}
	}
	p.T.env = out
	if login {
		r, err := p.K.lookup(p.T, ent.home, true)
		if err != nil || !r.node.isDir() || !p.K.mayAccess(p.T, r.node, mayExec) {
			p.Errorf("su: warning: cannot change directory to %s: %s\n", ent.home, errText(err, EACCES))
		} else {
			p.T.cwd = p.T.visiblePath(r.path)
		}
	}
	argv := []string{path.Base(shell)}
	if login {
		argv[0] = "-" + argv[0]
	}
	if hasCommand {
		argv = append(argv, "-c", command)
	}
	argv = append(argv, args...)
	file, node, err := p.K.findExecutable(p.T, shell)
	if err == nil {
		err = p.K.execve(p.T, file, node, argv)
	}
	p.Errorf("su: failed to execute %s: %s\n", shell, err.Error())
	return 126
}

type passwdEnt struct {
	name, home, shell string
	uid, gid          uint32
}

// passwdEntry is getpwnam(3) on the lab's /etc/passwd.
func passwdEntry(p *Proc, name string) (passwdEnt, bool) {
	data, err := p.ReadFile("/etc/passwd")
	if err != nil {
		return passwdEnt{}, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 7 && f[0] == name {
			uid, gid := atoiDefault(f[2], -1), atoiDefault(f[3], -1)
			if uid < 0 || gid < 0 {
				return passwdEnt{}, false
			}
			return passwdEnt{name: name, uid: uint32(uid), gid: uint32(gid), home: f[5], shell: f[6]}, true
		}
	}
	return passwdEnt{}, false
}

// supplementaryGroups is initgroups(3)'s list: the groups of /etc/group
// naming the user as a member.
func supplementaryGroups(p *Proc, name string) []GID {
	data, err := p.ReadFile("/etc/group")
	if err != nil {
		return nil
	}
	var gids []GID
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) < 4 {
			continue
		}
		for _, m := range strings.Split(f[3], ",") {
			if m == name {
				if g := atoiDefault(f[2], -1); g >= 0 {
					gids = append(gids, GID(g))
				}
			}
		}
	}
	return gids
}

// SetgroupsTo is setgroups(2) with a list: the same rule as Setgroups,
// and every group must be mapped in the caller's user namespace
// ("EINVAL … one of the group IDs is not valid").
func (k *Kernel) SetgroupsTo(t *Task, gids []GID) error {
	c := t.creds
	u := c.UserNS
	if !c.HasCapabilityIn(CapSetGID, u) || u.parent != nil && (u.setgroupsDenied || !u.gidMap.written) {
		return EPERM
	}
	kgids := make([]KGID, 0, len(gids))
	for _, g := range gids {
		kg, ok := u.MapGID(g)
		if !ok {
			return EINVAL
		}
		kgids = append(kgids, kg)
	}
	n := c.copy()
	n.Groups = kgids
	t.creds = n
	return nil
}

// readPasswordLine reads su's answer to its prompt: one line of stdin, a
// byte at a time so that nothing after it is taken from the caller.
func readPasswordLine(p *Proc) {
	var b [1]byte
	for {
		n, err := p.Stdin().Read(b[:])
		if n == 0 || err != nil || b[0] == '\n' {
			return
		}
	}
}
