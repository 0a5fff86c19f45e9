package lesson

import (
	"fmt"
	"strings"
)

// unfit are commands a lesson may run on Killercoda's full virtual
// machines that cannot work on an nslab lab host, and why: the lab
// host's root is root only inside its own user namespace, the lab has no
// network outside its own namespaces, and it runs no service manager.
var unfit = map[string]string{
	"mknod":     "a lab host's root cannot make device nodes: its user namespace forbids it",
	"modprobe":  "a lab host cannot load kernel modules",
	"insmod":    "a lab host cannot load kernel modules",
	"systemctl": "a lab host runs no service manager (its PID 1 is nslab's init)",
	"service":   "a lab host runs no service manager (its PID 1 is nslab's init)",
	"crontab":   "a lab host runs no cron daemon",
	"apt":       "a lab host has no network to install packages from",
	"apt-get":   "a lab host has no network to install packages from",
	"dnf":       "a lab host has no network to install packages from",
	"yum":       "a lab host has no network to install packages from",
	"docker":    "a lab host has no container engine",
	"podman":    "a lab host has no container engine",
	"kubectl":   "a lab host has no Kubernetes cluster",
	"visudo":    "a lab host's sudo is nslab's: the learner is root already and there is no sudoers file",
}

// LabFit returns, for each step, the commands it would run ({{exec}}
// blocks and scripts) that cannot work on an nslab lab host, and why.
func LabFit(l *Lesson) []Problem {
	var ps []Problem
	for _, p := range l.Parts() {
		if p.Text != nil {
			for _, c := range p.Text.Commands {
				if c.Action != ActionExec {
					continue
				}
				for i, line := range strings.Split(c.Text, "\n") {
					if name, why := unfitCommand(line); why != "" {
						ps = append(ps, Problem{File: p.TextFile, Line: c.Line + i, Msg: fmt.Sprintf("%q runs %s, which cannot work here: %s", p.Title, name, why)})
					}
				}
			}
		}
		for _, s := range []Script{p.Background, p.Foreground, p.Verify, p.Solve} {
			for i, line := range strings.Split(s.Body, "\n") {
				if name, why := unfitCommand(line); why != "" {
					ps = append(ps, Problem{File: s.File, Line: i + 1, Msg: fmt.Sprintf("runs %s, which cannot work here: %s", name, why)})
				}
			}
		}
	}
	return ps
}

// unfitCommand looks at the commands of a shell line (split at ; | &&
// ||, sudo dropped) for one that cannot work on a lab host.
func unfitCommand(line string) (string, string) {
	if i := strings.IndexByte(line, '#'); i >= 0 && (i == 0 || line[i-1] == ' ') {
		line = line[:i]
	}
	for _, part := range strings.FieldsFunc(line, func(r rune) bool { return r == ';' || r == '|' || r == '&' || r == '(' || r == ')' }) {
		f := strings.Fields(part)
		for len(f) > 0 && (f[0] == "sudo" || f[0] == "exec" || f[0] == "then" || f[0] == "do" || f[0] == "else" || strings.Contains(f[0], "=")) {
			f = f[1:]
		}
		if len(f) > 0 {
			if why, ok := unfit[f[0]]; ok {
				return f[0], why
			}
		}
	}
	return "", ""
}
