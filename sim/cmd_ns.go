package sim

import (
	"errors"
	"path"
	"sort"
	"strconv"
	"strings"
)

// This file holds util-linux's namespace tools: unshare, nsenter, lsns.

var unshareSpec = optSpec{
	short: map[byte]int{'m': 0, 'u': 0, 'i': 0, 'n': 0, 'p': 0, 'U': 0, 'C': 0, 'T': 0, 'f': 0, 'r': 0, 'c': 0, 'R': 1, 'w': 1, 'S': 1, 'G': 1, 'h': 0, 'V': 0},
	long: map[string]longOpt{
		"mount": {'m', 2}, "uts": {'u', 2}, "ipc": {'i', 2}, "net": {'n', 2}, "pid": {'p', 2}, "user": {'U', 2},
		"cgroup": {'C', 2}, "time": {'T', 2}, "fork": {'f', 0}, "map-root-user": {'r', 0}, "map-current-user": {'c', 0},
		"mount-proc": {200, 2}, "map-user": {201, 1}, "map-group": {202, 1}, "setgroups": {203, 1},
		"propagation": {204, 1}, "kill-child": {205, 2}, "root": {'R', 1}, "wd": {'w', 1},
		"monotonic": {206, 1}, "boottime": {207, 1}, "setuid": {'S', 1}, "setgid": {'G', 1},
		"keep-caps": {208, 0}, "help": {'h', 0}, "version": {'V', 0},
		"map-auto": {209, 0}, "map-users": {210, 1}, "map-groups": {211, 1},
	},
}

// unshareProgram is unshare(1) of util-linux 2.38.
func unshareProgram(p *Proc) int {
	opts, args, msg := getoptLong(unshareSpec, p.Args[1:], true)
	if msg != "" {
		return usageError(p, "unshare", msg)
	}
	var flags CloneFlags
	fork, mountProc := false, ""
	mapUser, mapGroup := int64(-1), int64(-1)
	setgroups := ""
	propagation := "private"
	killChild := 0
	newRoot, newWD := "", ""
	var monotonic, boottime *int64
	setUID, setGID := int64(-1), int64(-1)
	keepCaps := false
	// external names the maps that newuidmap or newgidmap would write
	// (--map-users, --map-groups, --map-auto), in that order.
	var external []string
	// persist: --TYPE=FILE binds the new namespace to FILE, which keeps it
	// alive with no process in it (namespaces(7)).
	persist := map[CloneFlags]string{}
	byFlag := map[byte]CloneFlags{'m': CloneNewNS, 'u': CloneNewUTS, 'i': CloneNewIPC, 'n': CloneNewNet, 'p': CloneNewPID, 'U': CloneNewUser, 'C': CloneNewCgroup, 'T': CloneNewTime}
	for _, o := range opts {
		if f, ok := byFlag[byte(o.code)]; ok && o.code < 128 && o.hasVal {
			persist[f] = o.value
		}
	}
	for _, o := range opts {
		switch o.code {
		case 208:
			keepCaps = true
		case 209, 210, 211:
			flags |= CloneNewUser
			if !parseExternalMaps(p, o.code, o.value, &external) {
				return 1
			}
		case 'm':
			flags |= CloneNewNS
		case 'u':
			flags |= CloneNewUTS
		case 'i':
			flags |= CloneNewIPC
		case 'n':
			flags |= CloneNewNet
		case 'p':
			flags |= CloneNewPID
		case 'U':
			flags |= CloneNewUser
		case 'C':
			flags |= CloneNewCgroup
		case 'T':
			flags |= CloneNewTime
		case 'f':
			fork = true
		case 'r':
			flags |= CloneNewUser
			mapUser, mapGroup = 0, 0
		case 'c':
			flags |= CloneNewUser
			mapUser = int64(p.T.creds.UserNS.MungedUID(p.T.creds.EUID))
			mapGroup = int64(p.T.creds.UserNS.MungedGID(p.T.creds.EGID))
		case 200:
			flags |= CloneNewNS
			mountProc = "/proc"
			if o.hasVal {
				mountProc = o.value
			}
		case 201:
			flags |= CloneNewUser
			id, ok := userID(p.K, p.T, o.value)
			if !ok {
				p.Errorf("unshare: failed to parse uid '%s'\n", o.value)
				return 1
			}
			mapUser = int64(id)
		case 202:
			flags |= CloneNewUser
			n, err := strconv.ParseUint(o.value, 10, 32)
			if err != nil {
				p.Errorf("unshare: failed to parse gid '%s'\n", o.value)
				return 1
			}
			mapGroup = int64(n)
		case 203:
			if o.value != "allow" && o.value != "deny" {
				p.Errorf("unshare: unsupported --setgroups argument '%s'\n", o.value)
				return 1
			}
			setgroups = o.value
		case 204:
			switch o.value {
			case "slave", "shared", "private", "unchanged":
				propagation = o.value
			default:
				p.Errorf("unshare: unsupported propagation mode: %s\n", o.value)
				return 1
			}
		case 205:
			killChild = SIGKILL
			if o.hasVal {
				n, ok := signalNumber(o.value)
				if !ok {
					p.Errorf("unshare: unknown signal: %s\n", o.value)
					return 1
				}
				killChild = n
			}
			fork = true
		case 'R':
			newRoot = o.value
		case 'w':
			newWD = o.value
		case 206, 207:
			n, err := strconv.ParseInt(o.value, 10, 64)
			if err != nil {
				p.Errorf("unshare: failed to parse offset: '%s'\n", o.value)
				return 1
			}
			flags |= CloneNewTime
			if o.code == 206 {
				monotonic = &n
			} else {
				boottime = &n
			}
		case 'S', 'G':
			n, err := strconv.ParseUint(o.value, 10, 32)
			if err != nil {
				p.Errorf("unshare: failed to parse uid: '%s'\n", o.value)
				return 1
			}
			if o.code == 'S' {
				setUID = int64(n)
			} else {
				setGID = int64(n)
			}
		case 'h':
			p.Printf("\nUsage:\n unshare [options] [<program> [<argument>...]]\n\nRun a program with some namespaces unshared from the parent.\n")
			return 0
		case 'V':
			p.Printf("unshare from util-linux 2.38.1\n")
			return 0
		}
	}
	c := p.T.creds
	realEUID := c.UserNS.MungedUID(c.EUID)
	realEGID := c.UserNS.MungedGID(c.EGID)
	oldMnt := p.T.ns.mnt
	if err := p.K.Unshare(p.T, flags); err != nil {
		p.Errorf("unshare: unshare failed: %s\n", err.Error())
		return 1
	}
	if len(external) > 0 {
		// util-linux runs shadow's newuidmap and newgidmap to write these
		// maps; the lab's image has neither (uidmap is not installed).
		p.Errorf("unshare: failed to execute %s: %s\n", external[0], ENOENT.Error())
		return 127
	}
	if len(persist) > 0 && !persistNamespaces(p, oldMnt, persist) {
		return 1
	}
	if flags&CloneNewTime != 0 && (monotonic != nil || boottime != nil) {
		var b strings.Builder
		if monotonic != nil {
			b.WriteString("monotonic " + strconv.FormatInt(*monotonic, 10) + " 0\n")
		}
		if boottime != nil {
			b.WriteString("boottime " + strconv.FormatInt(*boottime, 10) + " 0\n")
		}
		if err := p.WriteFile("/proc/self/timens_offsets", []byte(b.String())); err != nil {
			p.Errorf("unshare: failed to write to /proc/self/timens_offsets: %s\n", err.Error())
			return 1
		}
	}
	if fork {
		child, err := p.K.fork(p.T)
		if err != nil {
			p.Errorf("unshare: fork failed: %s\n", err.Error())
			return 1
		}
		// The child carries on below in a goroutine of its own; the parent
		// waits for it and exits as it did.
		done := make(chan struct{})
		_ = done
		// --kill-child: "When unshare terminates, have signame be sent to
		// the forked child process" (PR_SET_PDEATHSIG).
		child.pdeathSig = killChild
		p.K.startTask(child, func(t *Task) int {
			cp := &Proc{T: t, K: p.K, Args: p.Args}
			return unshareChild(cp, flags, mountProc, mapUser, mapGroup, realEUID, realEGID, setgroups, propagation, newRoot, newWD, setUID, setGID, keepCaps, args)
		})
		// The parent ignores SIGINT and SIGTERM while it waits, so that the
		// child decides (util-linux blocks them likewise).
		p.T.ignored[SIGINT], p.T.ignored[SIGTERM] = true, true
		st := p.T.wait(child, false)
		if sig := st & 0x7f; sig != 0 {
			// "the parent kills itself with the same signal".
			panic(killedPanic{sig: sig})
		}
		return st >> 8 & 0xff
	}
	return unshareChild(p, flags, mountProc, mapUser, mapGroup, realEUID, realEGID, setgroups, propagation, newRoot, newWD, setUID, setGID, keepCaps, args)
}

// unshareChild is what unshare does after the fork (or without one):
// maps, propagation, proc, then exec.
func unshareChild(p *Proc, flags CloneFlags, mountProc string, mapUser, mapGroup int64, realEUID UID, realEGID GID, setgroups, propagation, newRoot, newWD string, setUID, setGID int64, keepCaps bool, args []string) int {
	if mapUser >= 0 {
		if err := p.WriteFile("/proc/self/uid_map", []byte(sprintf("%d %d 1", mapUser, realEUID))); err != nil {
			p.Errorf("unshare: write failed /proc/self/uid_map: %s\n", err.Error())
			return 1
		}
	}
	if mapGroup >= 0 {
		if setgroups == "allow" {
			p.Errorf("unshare: options --setgroups=allow and --map-group are mutually exclusive\n")
			return 1
		}
		if err := p.WriteFile("/proc/self/setgroups", []byte("deny")); err != nil {
			p.Errorf("unshare: cannot open /proc/self/setgroups: %s\n", err.Error())
			return 1
		}
		if err := p.WriteFile("/proc/self/gid_map", []byte(sprintf("%d %d 1", mapGroup, realEGID))); err != nil {
			p.Errorf("unshare: write failed /proc/self/gid_map: %s\n", err.Error())
			return 1
		}
	}
	if setgroups != "" {
		if err := p.WriteFile("/proc/self/setgroups", []byte(setgroups)); err != nil {
			p.Errorf("unshare: cannot open /proc/self/setgroups: %s\n", err.Error())
			return 1
		}
	}
	if flags&CloneNewNS != 0 && propagation != "unchanged" {
		var f MountFlags
		switch propagation {
		case "private":
			f = MSPrivate
		case "shared":
			f = MSShared
		case "slave":
			f = MSSlave
		}
		if err := p.K.Mount(p.T, "none", "/", "", f|MSRec, ""); err != nil {
			p.Errorf("unshare: cannot change root filesystem propagation: %s\n", err.Error())
			return 1
		}
	}
	if newRoot != "" {
		// util-linux: chroot(2), then the working directory is --wd or
		// the new root.
		if err := p.K.Chroot(p.T, newRoot); err != nil {
			p.Errorf("unshare: cannot change root directory to '%s': %s\n", newRoot, err.Error())
			return 1
		}
		if newWD == "" {
			newWD = "/"
		}
	}
	if newWD != "" {
		r, err := p.K.lookup(p.T, newWD, true)
		if err != nil || !r.node.isDir() {
			p.Errorf("unshare: cannot chdir to '%s': %s\n", newWD, errText(err, ENOTDIR))
			return 1
		}
		p.T.cwd = p.T.visiblePath(r.path)
	}
	if mountProc != "" {
		if propagation != "private" {
			if err := p.K.Mount(p.T, "none", mountProc, "", MSPrivate|MSRec, ""); err != nil && !(err == EINVAL && mountProc == "/proc") {
				p.Errorf("unshare: cannot change %s filesystem propagation: %s\n", mountProc, err.Error())
				return 1
			}
		}
		if err := p.K.Mount(p.T, "proc", mountProc, "proc", MSNosuid|MSNoexec|MSNodev, ""); err != nil {
			p.Errorf("unshare: mount %s failed: %s\n", mountProc, err.Error())
			return 1
		}
	}
	if setGID >= 0 {
		// util-linux drops the supplementary groups first.
		if err := p.K.Setgroups(p.T); err != nil {
			p.Errorf("unshare: setgroups failed: %s\n", err.Error())
			return 1
		}
		if err := p.K.Setgid(p.T, GID(setGID)); err != nil {
			p.Errorf("unshare: setgid failed: %s\n", err.Error())
			return 1
		}
	}
	if setUID >= 0 {
		if err := p.K.Setuid(p.T, UID(setUID)); err != nil {
			p.Errorf("unshare: setuid failed: %s\n", err.Error())
			return 1
		}
	}
	if keepCaps && flags&CloneNewUser != 0 {
		// --keep-caps raises the permitted set into the inheritable and
		// ambient sets, which survive the exec even with no mapped root.
		c := p.T.creds.copy()
		c.Inheritable, c.Ambient = c.Permitted, c.Permitted
		p.T.creds = c
	}
	return execOrShell(p, "unshare", args)
}

// persistNamespaces binds the new namespaces' /proc/PID/ns files on the
// files given, in the mount namespace unshare was called in (util-linux
// does it from a child left there).
func persistNamespaces(p *Proc, oldMnt *MountNamespace, persist map[CloneFlags]string) bool {
	links := []struct {
		flag CloneFlags
		link string
	}{{CloneNewUser, "user"}, {CloneNewCgroup, "cgroup"}, {CloneNewIPC, "ipc"}, {CloneNewUTS, "uts"}, {CloneNewNet, "net"}, {CloneNewPID, "pid_for_children"}, {CloneNewNS, "mnt"}, {CloneNewTime, "time_for_children"}}
	newMnt := p.T.ns.mnt
	defer func() { p.T.ns.mnt = newMnt }()
	for _, l := range links {
		file, ok := persist[l.flag]
		if !ok {
			continue
		}
		ns, _ := p.K.nsLink(p.T, "/proc/self/ns/"+l.link)
		p.T.ns.mnt = oldMnt
		if ns == nil {
			p.Errorf("unshare: mount /proc/%d/ns/%s on %s failed: %s\n", p.T.PID(), l.link, file, EINVAL.Error())
			return false
		}
		r, err := p.K.lookup(p.T, file, true)
		if err == nil {
			if !p.T.creds.HasCapabilityIn(CapSysAdmin, oldMnt.owner) {
				err = EPERM
			} else {
				sb, name := p.K.nsfsFile(ns)
				p.K.attachMount(r.mnt, r.path, sb, name, "rw")
			}
		}
		p.T.ns.mnt = newMnt
		if err != nil {
			p.Errorf("unshare: mount /proc/%d/ns/%s on %s failed: %s\n", p.T.PID(), l.link, file, err.Error())
			return false
		}
	}
	return true
}

func errText(err error, def Errno) string {
	if err != nil {
		return err.Error()
	}
	return def.Error()
}

// execOrShell execs args, or the user's shell as a login shell when there
// are none (util-linux's exec_shell).
func execOrShell(p *Proc, prog string, args []string) int {
	if len(args) == 0 {
		shell := p.Getenv("SHELL")
		if shell == "" {
			shell = "/bin/sh"
		}
		file, node, err := p.K.findExecutable(p.T, shell)
		if err == nil {
			err = p.K.execve(p.T, file, node, []string{"-" + path.Base(shell)})
		}
		p.Errorf("%s: failed to execute %s: %s\n", prog, shell, err.Error())
		return 127
	}
	file, node, err := p.K.findExecutable(p.T, args[0])
	if err == nil {
		err = p.K.execve(p.T, file, node, args)
	}
	p.Errorf("%s: failed to execute %s: %s\n", prog, args[0], err.Error())
	if err == ENOENT {
		return 127
	}
	return 126
}

var nsenterSpec = optSpec{
	short: map[byte]int{'a': 0, 't': 1, 'm': 2, 'u': 2, 'i': 2, 'n': 2, 'p': 2, 'U': 2, 'C': 2, 'T': 2, 'S': 1, 'G': 1, 'r': 2, 'w': 2, 'F': 0, 'Z': 0, 'h': 0, 'V': 0},
	long: map[string]longOpt{
		"all": {'a', 0}, "target": {'t', 1}, "mount": {'m', 2}, "uts": {'u', 2}, "ipc": {'i', 2}, "net": {'n', 2},
		"pid": {'p', 2}, "user": {'U', 2}, "cgroup": {'C', 2}, "time": {'T', 2}, "setuid": {'S', 1}, "setgid": {'G', 1},
		"root": {'r', 2}, "wd": {'w', 2}, "no-fork": {'F', 0}, "preserve-credentials": {200, 0}, "follow-context": {'Z', 0},
		"help": {'h', 0}, "version": {'V', 0},
	},
}

// nsenterOrder is util-linux's namespace_files order: user first, so that
// it can be tried in a second pass.
var nsenterOrder = []NSType{NSUser, NSCgroup, NSIPC, NSUTS, NSNet, NSPID, NSMnt, NSTime}

// nsenterProgram is nsenter(1) of util-linux 2.38.
func nsenterProgram(p *Proc) int {
	opts, args, msg := getoptLong(nsenterSpec, p.Args[1:], true)
	if msg != "" {
		return usageError(p, "nsenter", msg)
	}
	want := map[NSType]bool{}
	files := map[NSType]string{}
	target := 0
	all, noFork, preserve := false, false, false
	uid, gid := int64(0), int64(0)
	setUID, setGID := false, false
	doRoot, doWD := false, false
	wdDir := ""
	byCode := map[byte]NSType{'m': NSMnt, 'u': NSUTS, 'i': NSIPC, 'n': NSNet, 'p': NSPID, 'U': NSUser, 'C': NSCgroup, 'T': NSTime}
	for _, o := range opts {
		switch o.code {
		case 'a':
			all = true
		case 't':
			n, err := strconv.Atoi(o.value)
			if err != nil || n <= 0 {
				p.Errorf("nsenter: failed to parse pid: '%s'\n", o.value)
				return 1
			}
			target = n
		case 'S':
			n, err := strconv.ParseUint(o.value, 10, 32)
			if err != nil {
				p.Errorf("nsenter: failed to parse uid: '%s'\n", o.value)
				return 1
			}
			uid, setUID = int64(n), true
		case 'G':
			n, err := strconv.ParseUint(o.value, 10, 32)
			if err != nil {
				p.Errorf("nsenter: failed to parse gid: '%s'\n", o.value)
				return 1
			}
			gid, setGID = int64(n), true
		case 'r':
			doRoot = true
		case 'w':
			doWD = true
			if o.hasVal {
				// -w DIR opens DIR at once, before any setns(2).
				dir := o.value
				if !strings.HasPrefix(dir, "/") {
					dir = strings.TrimSuffix(p.T.cwd, "/") + "/" + dir
				}
				if _, err := p.K.lookup(p.T, dir, true); err != nil {
					p.Errorf("nsenter: cannot open %s: %s\n", o.value, err.Error())
					return 1
				}
				wdDir = dir
			}
		case 'F':
			noFork = true
		case 200:
			preserve = true
		case 'Z':
		case 'h':
			p.Printf("\nUsage:\n nsenter [options] [<program> [<argument>...]]\n\nRun a program with namespaces of other processes.\n")
			return 0
		case 'V':
			p.Printf("nsenter from util-linux 2.38.1\n")
			return 0
		default:
			t := byCode[o.code]
			want[t] = true
			if o.hasVal {
				files[t] = o.value
			}
		}
	}
	// Find the target's namespaces through /proc, as nsenter opens
	// /proc/PID/ns/NAME.
	var tgt *Task
	if target != 0 {
		r, err := p.K.lookup(p.T, "/proc/"+itoa(target), true)
		if err != nil {
			what := "cannot open /proc/" + itoa(target) + "/ns/"
			if all {
				p.Errorf("nsenter: stat of /proc/%d/ns/user failed: %s\n", target, err.Error())
				return 1
			}
			for _, t := range nsenterOrder {
				if want[t] && files[t] == "" {
					p.Errorf("nsenter: %s%s: %s\n", what, t, err.Error())
					return 1
				}
			}
			p.Errorf("nsenter: cannot open /proc/%d/root: %s\n", target, err.Error())
			return 1
		}
		_ = r
		procSB := procMountFor(p.K, p.T)
		if procSB != nil {
			tgt = procSB.pidns.tasks[target]
		}
		if tgt == nil || tgt.exited {
			p.Errorf("nsenter: cannot open /proc/%d/ns/user: %s\n", target, ENOENT.Error())
			return 1
		}
	}
	if all {
		if tgt == nil {
			p.Errorf("nsenter: no target PID specified for --all\n")
			return 1
		}
		// --all enters every namespace of the target, except a user
		// namespace the caller is in already (setns(2) would say EINVAL).
		for _, t := range nsenterOrder {
			if t != NSUser || tgt.nsOf(t) != p.T.nsOf(t) {
				want[t] = true
			}
		}
	}
	chosen := map[NSType]Namespace{}
	notNS := map[NSType]bool{}
	for _, t := range nsenterOrder {
		if !want[t] {
			continue
		}
		if f := files[t]; f != "" {
			ns, err := p.K.nsFromFile(p.T, f)
			if err == errNotNSFile {
				notNS[t] = true
				continue
			}
			if err != nil {
				p.Errorf("nsenter: cannot open %s: %s\n", f, err.Error())
				return 1
			}
			chosen[t] = ns
			continue
		}
		if tgt == nil {
			p.Errorf("nsenter: neither filename nor target pid supplied for ns/%s\n", t)
			return 1
		}
		if !mayReadProcess(p.T, tgt) {
			p.Errorf("nsenter: cannot open /proc/%d/ns/%s: %s\n", target, t, EACCES.Error())
			return 1
		}
		chosen[t] = tgt.nsOf(t)
	}
	doFork := false
	// "We enter the namespaces in two passes starting initially from
	// offset 1 and then offset 0 if that fails" (nsenter.c).
	done := map[NSType]bool{}
	for pass := 0; pass < 2; pass++ {
		start := 1 - pass
		for _, t := range nsenterOrder[start:] {
			if notNS[t] && pass != 0 {
				p.Errorf("nsenter: reassociate to namespace 'ns/%s' failed: %s\n", t, EINVAL.Error())
				return 1
			}
			ns := chosen[t]
			if ns == nil || done[t] {
				continue
			}
			if t == NSPID || t == NSTime {
				doFork = true
			}
			if err := p.K.Setns(p.T, ns); err != nil {
				if pass != 0 {
					p.Errorf("nsenter: reassociate to namespace 'ns/%s' failed: %s\n", t, err.Error())
					return 1
				}
				continue
			}
			done[t] = true
		}
	}
	if doRoot && tgt != nil {
		// -r: the target's root directory (fchdir, chroot(".")).
		p.T.root, p.T.cwd = tgt.root, "/"
	}
	switch {
	case wdDir != "":
		p.T.cwd = wdDir
	case doWD && tgt != nil:
		p.T.cwd = tgt.cwd
	}
	run := func(p *Proc) int {
		if chosen[NSUser] != nil && !preserve {
			// nsenter drops supplementary groups and becomes root of the
			// namespace it entered.
			c := p.T.creds.copy()
			c.Groups = nil
			p.T.creds = c
			setUID, setGID = true, true
		}
		if setGID {
			if err := p.K.Setgid(p.T, GID(gid)); err != nil {
				p.Errorf("nsenter: setgid failed: %s\n", err.Error())
				return 1
			}
		}
		if setUID {
			if err := p.K.Setuid(p.T, UID(uid)); err != nil {
				p.Errorf("nsenter: setuid failed: %s\n", err.Error())
				return 1
			}
		}
		return execOrShell(p, "nsenter", args)
	}
	if doFork && !noFork {
		child, err := p.K.fork(p.T)
		if err != nil {
			p.Errorf("nsenter: fork failed: %s\n", err.Error())
			return 1
		}
		p.K.startTask(child, func(t *Task) int { return run(&Proc{T: t, K: p.K, Args: p.Args}) })
		p.T.ignored[SIGINT], p.T.ignored[SIGTERM] = true, true
		st := p.T.wait(child, false)
		if sig := st & 0x7f; sig != 0 {
			panic(killedPanic{sig: sig})
		}
		return st >> 8 & 0xff
	}
	return run(p)
}

// procMountFor returns the proc superblock mounted at /proc in t's mount
// namespace, or nil.
func procMountFor(k *Kernel, t *Task) *superblock {
	r, err := k.lookup(t, "/proc", true)
	if err != nil || r.mnt.sb.fstype != "proc" {
		return nil
	}
	return r.mnt.sb
}

// nsFromFile resolves a namespace file (/proc/PID/ns/TYPE) to the
// namespace.
func (k *Kernel) nsFromFile(t *Task, name string) (Namespace, error) {
	r, err := k.lookup(t, name, false)
	if err != nil {
		return nil, err
	}
	if r.mnt.sb.ns != nil && r.mnt.point == r.path {
		// A bound nsfs file: the namespace lives on through it.
		return r.mnt.sb.ns, nil
	}
	if r.node.kind != kindSymlink || r.node.gen == nil {
		// Any file opens; setns(2) on it says EINVAL.
		return nil, errNotNSFile
	}
	_, ino, perr := parseNSLink(r.node.gen(t))
	if perr != nil {
		return nil, EINVAL
	}
	ns := k.namespaces[ino]
	if ns == nil {
		return nil, ENOENT
	}
	return ns, nil
}

// errNotNSFile is nsFromFile's answer for a file that opens but is no
// namespace: setns(2) on it fails with EINVAL.
var errNotNSFile = errors.New("not a namespace file")

func parseNSLink(s string) (NSType, uint64, error) {
	open := strings.IndexByte(s, '[')
	if open < 0 || !strings.HasSuffix(s, "]") {
		return "", 0, EINVAL
	}
	n, err := strconv.ParseUint(s[open+1:len(s)-1], 10, 64)
	return NSType(strings.TrimSuffix(s[:open], ":")), n, err
}

// Setuid is setuid(2) for a process: the uid is translated in its user
// namespace ("EINVAL The user ID specified in uid is not valid in this
// user namespace"); CAP_SETUID there allows any.
func (k *Kernel) Setuid(t *Task, uid UID) error {
	c := t.creds
	kuid, ok := c.UserNS.MapUID(uid)
	if !ok {
		return EINVAL
	}
	if c.HasCapabilityIn(CapSetUID, c.UserNS) {
		n := c.copy()
		n.RealUID, n.EUID, n.SavedUID, n.FSUID = kuid, kuid, kuid, kuid
		root, _ := c.UserNS.MapUID(0)
		if kuid != root {
			n.Permitted, n.Effective = 0, 0
		}
		t.creds = n
		return nil
	}
	if kuid == c.RealUID || kuid == c.SavedUID {
		n := c.copy()
		n.EUID, n.FSUID = kuid, kuid
		t.creds = n
		return nil
	}
	return EPERM
}

// Setgid is setgid(2).
func (k *Kernel) Setgid(t *Task, gid GID) error {
	c := t.creds
	kgid, ok := c.UserNS.MapGID(gid)
	if !ok {
		return EINVAL
	}
	if !c.HasCapabilityIn(CapSetGID, c.UserNS) && kgid != c.RealGID && kgid != c.SavedGID {
		return EPERM
	}
	n := c.copy()
	n.RealGID, n.EGID, n.SavedGID, n.FSGID = kgid, kgid, kgid, kgid
	t.creds = n
	return nil
}

// Setgroups is setgroups(2) emptying the supplementary groups: it needs
// CAP_SETGID in the caller's user namespace, and there "the gid_map ...
// has been written and ... setgroups ... allow" (user_namespaces(7)).
func (k *Kernel) Setgroups(t *Task) error {
	c := t.creds
	u := c.UserNS
	if !c.HasCapabilityIn(CapSetGID, u) || u.parent != nil && (u.setgroupsDenied || !u.gidMap.written) {
		return EPERM
	}
	n := c.copy()
	n.Groups = nil
	t.creds = n
	return nil
}

// lsnsProgram is lsns(8): namespaces seen through the processes in /proc.
func lsnsProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'t': 1, 'p': 1, 'n': 0, 'o': 1, 'r': 0, 'l': 0, 'u': 0, 'J': 0, 'h': 0, 'V': 0, 'W': 0, 'T': 2},
		long:  map[string]longOpt{"type": {'t', 1}, "task": {'p', 1}, "noheadings": {'n', 0}, "output": {'o', 1}, "raw": {'r', 0}, "list": {'l', 0}, "notruncate": {'u', 0}, "json": {'J', 0}, "help": {'h', 0}, "version": {'V', 0}, "nowrap": {'W', 0}, "output-all": {200, 0}, "tree": {'T', 2}},
	}
	opts, args, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "lsns", msg)
	}
	cols := []string{"NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND"}
	noHead, raw := false, false
	// procTree: lsns draws the process tree in COMMAND unless -l (or
	// another tree, -T) is asked for.
	procTree := true
	// nsTree is -T's relation, "owner" or "parent"; json is -J.
	nsTree, json := "", false
	var types map[NSType]bool
	pidFilter := 0
	outArg, noWrap := "", false
	for _, o := range opts {
		switch o.code {
		case 'l':
			procTree = false
		case 'J':
			json = true
		case 'T':
			procTree, nsTree = false, "owner"
			if o.hasVal {
				switch v := strings.TrimPrefix(o.value, "="); v {
				case "owner", "parent":
					nsTree = v
				case "process":
					procTree, nsTree = true, ""
				default:
					p.Errorf("lsns: unknown tree type: %s\n", v)
					return 1
				}
			}
		case 't':
			t := NSType(o.value)
			if !t.Valid() {
				p.Errorf("lsns: unknown namespace type: %s\n", o.value)
				return 1
			}
			if types == nil {
				types = map[NSType]bool{}
			}
			types[t] = true
		case 'p':
			n, err := strconv.Atoi(o.value)
			if err != nil {
				p.Errorf("lsns: invalid PID argument: '%s'\n", o.value)
				return 1
			}
			pidFilter = n
		case 'n':
			noHead = true
		case 'r':
			raw, noWrap = true, true
		case 'o':
			outArg = o.value
		case 200:
			outArg = "NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER,NETNSID,NSFS,PNS,ONS"
		case 'W':
			noWrap = true
		}
	}
	if types[NSNet] {
		// With -t net, lsns adds the network columns to its defaults.
		cols = []string{"NS", "TYPE", "NPROCS", "PID", "USER", "NETNSID", "NSFS", "COMMAND"}
	}
	if outArg != "" {
		var bad string
		if cols, bad = lsnsOutputColumns(cols, outArg); bad != "" {
			p.Errorf("lsns: unknown column: %s\n", bad)
			return 1
		}
	}
	if len(args) > 0 {
		p.Errorf("lsns: bad usage\nTry 'lsns --help' for more information.\n")
		return 1
	}
	sb := procMountFor(p.K, p.T)
	if sb == nil {
		p.Errorf("lsns: failed to open /proc: %s\n", ENOENT.Error())
		return 1
	}
	type nsRow struct {
		ns    Namespace
		procs []*Task
	}
	rows := map[Namespace]*nsRow{}
	tasks := p.K.visibleTasks(sb.pidns)
	for _, t := range tasks {
		// lsns sees the namespaces of the processes whose ns links it may
		// read.
		if t.exited || !mayReadProcess(p.T, t) {
			continue
		}
		for _, typ := range []NSType{NSMnt, NSNet, NSPID, NSUser, NSUTS, NSIPC, NSCgroup, NSTime} {
			n := t.nsOf(typ)
			if n == nil {
				continue
			}
			r := rows[n]
			if r == nil {
				r = &nsRow{ns: n}
				rows[n] = r
			}
			r.procs = append(r.procs, t)
		}
	}
	var list []*nsRow
	for _, r := range rows {
		if types != nil && !types[r.ns.Type()] {
			continue
		}
		if pidFilter != 0 {
			found := false
			for _, t := range r.procs {
				if sb.pidns.PIDOf(t) == pidFilter {
					found = true
				}
			}
			if !found {
				continue
			}
		}
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ns.Inode() < list[j].ns.Inode() })
	var prefix map[*nsRow]string
	if procTree {
		list, prefix = lsnsTree(list, func(r *nsRow) *Task { return r.procs[0] })
	}
	if nsTree != "" {
		var at map[int]string
		list, at = lsnsNSTree(p.T, list, func(r *nsRow) Namespace { return r.ns }, func(n Namespace) *nsRow { return &nsRow{ns: n} }, nsTree == "parent")
		prefix = map[*nsRow]string{}
		for i, r := range list {
			prefix[r] = at[i]
		}
	}
	head := cols
	if nsTree != "" && !raw {
		// With -T, lsns's TYPE column is at least five wide.
		head = append([]string(nil), cols...)
		for i, c := range head {
			if c == "TYPE" && i < len(head)-1 {
				head[i] = "TYPE "
			}
		}
	}
	table := newTable(head, raw)
	table.rightAlign("NPROCS", "PID", "PPID", "UID", "PNS", "ONS", "NETNSID")
	table.hint = lsnsWidthHints
	if nsTree == "" {
		// The tree of -T is drawn in NS, which is then left-aligned.
		table.rightAlign("NS")
	}
	var cells [][]string
	var branches []string
	for _, r := range list {
		var vals []string
		if len(r.procs) == 0 {
			// A namespace lsns learned of through ioctl(NS_GET_USERNS) or
			// NS_GET_PARENT, with no process of its own in the list.
			for _, c := range cols {
				vals = append(vals, lsnsStubValue(p, r.ns, c))
			}
		} else {
			first := r.procs[0]
			for _, c := range cols {
				switch c {
				case "NS":
					vals = append(vals, strconv.FormatUint(r.ns.Inode(), 10))
				case "TYPE":
					vals = append(vals, string(r.ns.Type()))
				case "NPROCS":
					vals = append(vals, itoa(len(r.procs)))
				case "PID":
					vals = append(vals, itoa(sb.pidns.PIDOf(first)))
				case "PPID":
					vals = append(vals, itoa(first.PPIDIn(sb.pidns)))
				case "COMMAND":
					vals = append(vals, strings.Join(first.argv, " "))
				case "UID":
					vals = append(vals, itoa(int(p.T.creds.UserNS.MungedUID(first.creds.RealUID))))
				case "USER":
					vals = append(vals, userName(p.K, p.T, p.T.creds.UserNS.MungedUID(first.creds.RealUID)))
				case "PNS":
					vals = append(vals, nsParentInode(p.T, r.ns))
				case "ONS":
					vals = append(vals, nsOwnerInode(p.T, r.ns))
				case "PATH", "NETNSID", "NSFS":
					vals = append(vals, lsnsNetValue(p.T, sb.pidns.PIDOf(first), r.ns, c, noWrap))
				}
			}
		}
		cells = append(cells, vals)
		branches = append(branches, prefix[r])
	}
	if json {
		parents := treeParents(branches)
		if !procTree && nsTree == "" {
			for i := range parents {
				parents[i] = -1
			}
		}
		p.Stdout().Write([]byte(lsnsJSON(cols, cells, parents)))
		return 0
	}
	// The branches go in COMMAND for the process tree, in NS for -T (and
	// nowhere when NS is not shown: util-linux 2.38 draws no tree then).
	treeCol := "COMMAND"
	if nsTree != "" {
		treeCol = "NS"
	}
	var blank, cont []bool
	for i, vals := range cells {
		row := append([]string(nil), vals...)
		for c, name := range cols {
			if name == treeCol {
				row[c] = branches[i] + row[c]
			}
		}
		for k, line := range lsnsLines(row) {
			table.add(line)
			blank = append(blank, k == 0 && line[len(line)-1] == "")
			cont = append(cont, k > 0)
		}
	}
	out := table.render(!noHead)
	if !raw {
		out = lsnsContinuations(out, table, cont, !noHead)
		// libsmartcols keeps the separator before an empty last cell,
		// which the table trims.
		lines := strings.SplitAfter(out, "\n")
		off := 0
		if !noHead {
			off = 1
		}
		for i, b := range blank {
			if b {
				lines[i+off] = strings.TrimSuffix(lines[i+off], "\n") + " \n"
			}
		}
		out = strings.Join(lines, "")
	}
	p.Stdout().Write([]byte(out))
	return 0
}

// lsnsStubValue is a cell of a namespace row with no process: no PID,
// PPID or COMMAND, NPROCS 0, and for USER and UID the owner lsns reads with
// ioctl(NS_GET_OWNER_UID), the creator of the (owning) user namespace.
func lsnsStubValue(p *Proc, n Namespace, col string) string {
	u, _ := n.(*UserNamespace)
	if u == nil {
		u = n.Owner()
	}
	switch col {
	case "NS":
		return strconv.FormatUint(n.Inode(), 10)
	case "TYPE":
		return string(n.Type())
	case "NPROCS":
		return "0"
	case "UID", "USER":
		if u == nil {
			return ""
		}
		uid := p.T.creds.UserNS.MungedUID(u.owner)
		if col == "UID" {
			return itoa(int(uid))
		}
		return userName(p.K, p.T, uid)
	case "PNS":
		return nsParentInode(p.T, n)
	case "ONS":
		return nsOwnerInode(p.T, n)
	}
	return ""
}

// lsnsTree orders rows as lsns's process tree shows them: a row goes
// under the latest row shown for the parent of its first process, rows
// in their order otherwise, and each child gets libsmartcols' branch
// ("├─", "└─", "│ ").
func lsnsTree[R comparable](rows []R, first func(R) *Task) ([]R, map[R]string) {
	outline := map[*Task]R{}
	children := map[R][]R{}
	var roots []R
	for _, r := range rows {
		t := first(r)
		if par, ok := outline[t.parent]; ok && t.parent != nil {
			children[par] = append(children[par], r)
		} else {
			roots = append(roots, r)
		}
		outline[t] = r
	}
	var out []R
	prefix := map[R]string{}
	var walk func(r R, lead string)
	walk = func(r R, lead string) {
		out = append(out, r)
		kids := children[r]
		for i, c := range kids {
			branch, next := "├─", "│ "
			if i == len(kids)-1 {
				branch, next = "└─", "  "
			}
			prefix[c] = lead + branch
			walk(c, lead+next)
		}
	}
	for _, r := range roots {
		walk(r, "")
	}
	return out, prefix
}

// nsParentInode is what ioctl(NS_GET_PARENT) tells viewer: the parent of
// a user or PID namespace, 0 where the kernel says EPERM because "the
// requested namespace is outside of the caller's namespace scope".
func nsParentInode(viewer *Task, n Namespace) string {
	switch x := n.(type) {
	case *UserNamespace:
		if x.parent != nil && viewer.creds.UserNS.IsAncestorOf(x.parent) {
			return strconv.FormatUint(x.parent.inode, 10)
		}
	case *PIDNamespace:
		if x.parent != nil && viewer.PIDNS().IsAncestorOf(x.parent) {
			return strconv.FormatUint(x.parent.inode, 10)
		}
	}
	return "0"
}

// nsOwnerInode is what ioctl(NS_GET_USERNS) tells viewer: the owning user
// namespace, 0 when it lies outside the viewer's user namespace.
func nsOwnerInode(viewer *Task, n Namespace) string {
	o := n.Owner()
	if u, ok := n.(*UserNamespace); ok {
		o = u.parent
	}
	if o != nil && viewer.creds.UserNS.IsAncestorOf(o) {
		return strconv.FormatUint(o.inode, 10)
	}
	return "0"
}
