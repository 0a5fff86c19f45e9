package sim

import (
	"strconv"
	"strings"
	"time"
)

// This file holds the identity tools: id, whoami, hostname, uname, and
// sleep, env, kill (util-linux's), true, false.

// idProgram is coreutils' id.
func idProgram(p *Proc) int {
	c := p.T.creds
	un := c.UserNS
	uid, gid := un.MungedUID(c.EUID), un.MungedGID(c.EGID)
	args := p.Args[1:]
	if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		name := false
		var what byte
		for _, a := range args {
			for _, ch := range a[1:] {
				switch ch {
				case 'u', 'g', 'G':
					what = byte(ch)
				case 'n':
					name = true
				case 'r':
				default:
					p.Errorf("id: invalid option -- '%c'\nTry 'id --help' for more information.\n", ch)
					return 1
				}
			}
		}
		switch what {
		case 'u':
			if name {
				p.Printf("%s\n", userName(p.K, p.T, uid))
			} else {
				p.Printf("%d\n", uid)
			}
		case 'g':
			if name {
				p.Printf("%s\n", groupName(p.K, p.T, gid))
			} else {
				p.Printf("%d\n", gid)
			}
		case 'G':
			var out []string
			for _, g := range idGroups(c) {
				if name {
					out = append(out, groupName(p.K, p.T, g))
				} else {
					out = append(out, itoa(int(g)))
				}
			}
			p.Printf("%s\n", strings.Join(out, " "))
		default:
			p.Errorf("id: cannot print only names or real IDs in default format\n")
			return 1
		}
		return 0
	}
	if len(args) == 1 {
		// id USER: the user's IDs from /etc/passwd and /etc/group, as
		// coreutils prints them (primary group first).
		if ent, ok := passwdEntry(p, args[0]); ok {
			g := itoa(int(ent.gid)) + "(" + groupName(p.K, p.T, GID(ent.gid)) + ")"
			groups := []string{g}
			for _, sg := range supplementaryGroups(p, ent.name) {
				if uint32(sg) != ent.gid {
					groups = append(groups, itoa(int(sg))+"("+groupName(p.K, p.T, sg)+")")
				}
			}
			p.Printf("uid=%d(%s) gid=%s groups=%s\n", ent.uid, ent.name, g, strings.Join(groups, ","))
			return 0
		}
	}
	if len(args) > 0 {
		p.Errorf("id: '%s': no such user\n", args[0])
		return 1
	}
	// An ID with no name is printed bare, as coreutils' id does.
	named := func(id uint32, file string) string {
		if n, ok := lookupName(p.K, p.T, file, id); ok {
			return itoa(int(id)) + "(" + n + ")"
		}
		return itoa(int(id))
	}
	var b strings.Builder
	b.WriteString("uid=" + named(uint32(uid), "/etc/passwd") + " gid=" + named(uint32(gid), "/etc/group") + " groups=")
	for i, g := range idGroups(c) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(named(uint32(g), "/etc/group"))
	}
	p.Printf("%s\n", b.String())
	return 0
}

// idGroups is the effective group followed by the supplementary groups,
// without repeats, as id prints them.
func idGroups(c *Credentials) []GID {
	out := []GID{c.UserNS.MungedGID(c.EGID)}
	for _, g := range c.Groups {
		x := c.UserNS.MungedGID(g)
		if x != out[0] {
			out = append(out, x)
		}
	}
	return out
}

func whoamiProgram(p *Proc) int {
	c := p.T.creds
	p.Printf("%s\n", userName(p.K, p.T, c.UserNS.MungedUID(c.EUID)))
	return 0
}

// hostnameProgram is hostname(1) from Debian's hostname package.
func hostnameProgram(p *Proc) int {
	args := p.Args[1:]
	if len(args) == 0 {
		p.Printf("%s\n", p.T.ns.uts.Hostname)
		return 0
	}
	switch args[0] {
	case "-s", "--short":
		h, _, _ := strings.Cut(p.T.ns.uts.Hostname, ".")
		p.Printf("%s\n", h)
		return 0
	case "-f", "--fqdn", "--long":
		p.Printf("%s\n", p.T.ns.uts.Hostname)
		return 0
	}
	if strings.HasPrefix(args[0], "-") {
		p.Errorf("hostname: invalid option -- '%s'\n", strings.TrimLeft(args[0], "-"))
		return 1
	}
	if err := p.K.Sethostname(p.T, args[0]); err != nil {
		if err == EPERM {
			p.Errorf("hostname: you must be root to change the host name\n")
		} else {
			p.Errorf("hostname: %s\n", err.Error())
		}
		return 1
	}
	return 0
}

// domainnameProgram is domainname(1) of the hostname package: the UTS
// namespace's NIS domain name, "(none)" until set.
func domainnameProgram(p *Proc) int {
	args := p.Args[1:]
	if len(args) == 0 {
		p.Printf("%s\n", p.T.ns.uts.Domainname)
		return 0
	}
	if strings.HasPrefix(args[0], "-") {
		p.Errorf("domainname: invalid option -- '%s'\n", strings.TrimLeft(args[0], "-"))
		return 1
	}
	if err := p.K.Setdomainname(p.T, args[0]); err != nil {
		p.Errorf("domainname: you must be root to change the domain name\n")
		return 1
	}
	return 0
}

// unameProgram is coreutils' uname.
func unameProgram(p *Proc) int {
	fields := map[byte]string{
		's': "Linux", 'n': p.T.ns.uts.Hostname, 'r': kernelRelease, 'v': kernelVersion,
		'm': "x86_64", 'p': "unknown", 'i': "unknown", 'o': "GNU/Linux",
	}
	want := map[byte]bool{}
	for _, a := range p.Args[1:] {
		switch a {
		case "--all":
			a = "-a"
		case "--nodename":
			a = "-n"
		case "--kernel-release":
			a = "-r"
		case "--kernel-name":
			a = "-s"
		case "--machine":
			a = "-m"
		}
		if !strings.HasPrefix(a, "-") {
			p.Errorf("uname: extra operand '%s'\nTry 'uname --help' for more information.\n", a)
			return 1
		}
		for _, ch := range a[1:] {
			if ch == 'a' {
				for _, x := range "snrvmo" {
					want[byte(x)] = true
				}
				continue
			}
			if _, ok := fields[byte(ch)]; !ok {
				p.Errorf("uname: invalid option -- '%c'\nTry 'uname --help' for more information.\n", ch)
				return 1
			}
			want[byte(ch)] = true
		}
	}
	if len(want) == 0 {
		want['s'] = true
	}
	var out []string
	for _, ch := range "snrvmpio" {
		if want[byte(ch)] {
			out = append(out, fields[byte(ch)])
		}
	}
	p.Printf("%s\n", strings.Join(out, " "))
	return 0
}

// sleepProgram is coreutils' sleep on the simulated clock.
func sleepProgram(p *Proc) int {
	if len(p.Args) < 2 {
		p.Errorf("sleep: missing operand\nTry 'sleep --help' for more information.\n")
		return 1
	}
	var total time.Duration
	for _, a := range p.Args[1:] {
		mult := time.Second
		s := a
		switch {
		case strings.HasSuffix(s, "s"):
			s = s[:len(s)-1]
		case strings.HasSuffix(s, "m"):
			s, mult = s[:len(s)-1], time.Minute
		case strings.HasSuffix(s, "h"):
			s, mult = s[:len(s)-1], time.Hour
		case strings.HasSuffix(s, "d"):
			s, mult = s[:len(s)-1], 24*time.Hour
		}
		if s == "infinity" {
			total = 1<<62 - 1
			break
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 {
			p.Errorf("sleep: invalid time interval '%s'\nTry 'sleep --help' for more information.\n", a)
			return 1
		}
		total += time.Duration(f * float64(mult))
	}
	k := p.K
	wake := k.now + int64(total)
	if total <= 0 {
		return 0
	}
	p.T.block(func() bool { return k.now >= wake }, wake)
	return 0
}

// envProgram is coreutils' env: print the environment or run a program
// with changes to it.
func envProgram(p *Proc) int {
	args := p.Args[1:]
	env := append([]string(nil), p.T.env...)
	for len(args) > 0 {
		a := args[0]
		if a == "-i" || a == "-" {
			env = nil
			args = args[1:]
			continue
		}
		if a == "-u" && len(args) > 1 {
			env = removeEnv(env, args[1])
			args = args[2:]
			continue
		}
		if name, _, ok := strings.Cut(a, "="); ok && name != "" {
			env = append(removeEnv(env, name), a)
			args = args[1:]
			continue
		}
		break
	}
	if len(args) == 0 {
		for _, kv := range env {
			p.Printf("%s\n", kv)
		}
		return 0
	}
	p.T.env = env
	file, node, err := p.K.findExecutable(p.T, args[0])
	if err == nil {
		err = p.K.execve(p.T, file, node, args)
	}
	p.Errorf("env: '%s': %s\n", args[0], err.Error())
	if err == ENOENT {
		return 127
	}
	return 126
}

func removeEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// killProgram is util-linux's kill(1), used where a shell does not have
// the builtin (env kill, xargs kill).
func killProgram(p *Proc) int {
	args := p.Args[1:]
	sig := SIGTERM
	if len(args) > 0 && args[0] == "-l" {
		p.Printf("%s\n", strings.Join(signalNames[1:], " "))
		return 0
	}
	if len(args) > 0 && strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
		n, ok := signalNumber(strings.TrimPrefix(args[0][1:], "s"))
		if args[0] == "-s" && len(args) > 1 {
			n, ok = signalNumber(args[1])
			args = args[1:]
		}
		if !ok {
			p.Errorf("kill: unknown signal %s; valid signals:\n", args[0])
			return 1
		}
		sig = n
		args = args[1:]
	}
	status := 0
	for _, a := range args {
		n, err := strconv.Atoi(a)
		if err != nil {
			p.Errorf("kill: cannot find process \"%s\"\n", a)
			status = 1
			continue
		}
		if err := p.K.Kill(p.T, n, sig); err != nil {
			p.Errorf("kill: sending signal to %d failed: %s\n", n, err.Error())
			status = 1
		}
	}
	return status
}
