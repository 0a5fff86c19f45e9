package sim

import (
	"strconv"
	"strings"
)

// timeoutProgram is timeout of GNU coreutils 9.1: it runs a command in a
// child and, when DURATION passes first, sends it SIGTERM (-s SIG), and
// SIGKILL after -k DURATION more. Like the real one it puts itself in a
// process group of its own (unless --foreground) and signals that whole
// group, so a signal it does not ignore ends timeout too (SIGKILL). It
// exits 124 on a timeout (the command's status with --preserve-status),
// 125 for its own errors, 126 and 127 when the command cannot run.
func timeoutProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'s': 1, 'k': 1, 'v': 0},
		long: map[string]longOpt{"signal": {'s', 1}, "kill-after": {'k', 1}, "verbose": {'v', 0},
			"preserve-status": {200, 0}, "foreground": {201, 0}},
	}
	opts, operands, msg := getoptLong(spec, p.Args[1:], true)
	if msg != "" {
		p.Errorf("timeout: %s\nTry 'timeout --help' for more information.\n", msg)
		return 125
	}
	sig, killAfter := SIGTERM, int64(0)
	verbose, preserve, foreground := false, false, false
	for _, o := range opts {
		switch o.code {
		case 's':
			n, ok := signalNumber(o.value)
			if !ok {
				p.Errorf("timeout: %s: invalid signal\nTry 'timeout --help' for more information.\n", o.value)
				return 125
			}
			sig = n
		case 'k':
			d, ok := parseTimeoutDuration(o.value)
			if !ok {
				p.Errorf("timeout: invalid time interval ‘%s’\nTry 'timeout --help' for more information.\n", o.value)
				return 125
			}
			killAfter = d
		case 'v':
			verbose = true
		case 200:
			preserve = true
		case 201:
			foreground = true
		}
	}
	if len(operands) < 2 {
		p.Errorf("Try 'timeout --help' for more information.\n")
		return 125
	}
	duration, ok := parseTimeoutDuration(operands[0])
	if !ok {
		p.Errorf("timeout: invalid time interval ‘%s’\nTry 'timeout --help' for more information.\n", operands[0])
		return 125
	}
	argv := operands[1:]
	k, t := p.K, p.T
	if !foreground {
		t.pgid = t.PID()
	}
	c, err := k.fork(t)
	if err != nil {
		p.Errorf("timeout: fork system call failed: %s\n", err.Error())
		return 125
	}
	k.startTask(c, func(ct *Task) int {
		file, node, err := k.findExecutable(ct, argv[0])
		if err == nil {
			err = k.execve(ct, file, node, argv)
		}
		cp := &Proc{T: ct, K: k, Args: argv}
		cp.Errorf("timeout: failed to run command ‘%s’: %s\n", argv[0], err.Error())
		if err == ENOENT {
			return 127
		}
		return 126
	})
	timedOut := false
	send := func(s int) {
		if verbose {
			name := itoa(s)
			if s < len(signalNames) {
				name = signalNames[s]
			}
			p.Errorf("timeout: sending signal %s to command ‘%s’\n", name, argv[0])
		}
		c.deliver(t, s)
		if !foreground {
			// kill(0, sig): the whole group, timeout included; it
			// ignores sig itself unless sig cannot be ignored.
			for _, x := range k.tasks {
				if x != t && x != c && x.pgid == t.pgid && !x.exited {
					x.deliver(t, s)
				}
			}
			if s == SIGKILL || s == SIGSTOP {
				t.sendSignal(s)
			}
		}
	}
	if duration > 0 {
		deadline := k.now + duration
		t.block(func() bool { return c.exited || k.now >= deadline }, deadline)
		if !c.exited {
			timedOut = true
			send(sig)
			if killAfter > 0 {
				deadline = k.now + killAfter
				t.block(func() bool { return c.exited || k.now >= deadline }, deadline)
				if !c.exited {
					send(SIGKILL)
				}
			}
		}
	}
	ws := t.wait(c, false)
	status := 0
	if ws&0x7f != 0 {
		s := ws & 0x7f
		if timedOut && s == SIGKILL {
			preserve = true
		}
		status = 128 + s
	} else {
		status = ws >> 8 & 0xff
	}
	if timedOut && !preserve {
		return 124
	}
	return status
}

// parseTimeoutDuration reads DURATION: a number with an optional suffix
// s, m, h or d; 0 disables the timeout.
func parseTimeoutDuration(s string) (int64, bool) {
	mult := 1e9
	switch {
	case strings.HasSuffix(s, "s"):
		s = s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		s, mult = s[:len(s)-1], 60e9
	case strings.HasSuffix(s, "h"):
		s, mult = s[:len(s)-1], 3600e9
	case strings.HasSuffix(s, "d"):
		s, mult = s[:len(s)-1], 86400e9
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || s == "" || strings.ContainsAny(s, "xXpP_") {
		return 0, false
	}
	return int64(f * mult), true
}
