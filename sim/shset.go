package sim

import (
	"strconv"
	"strings"
)

// This file is set's options: -e, -u, -x, -f and bash's pipefail are
// simulated; set -o lists every option of the real shell with its
// setting. An option that is not simulated is refused with the shell's
// message for an unknown one, never accepted and ignored.

// dashOptions are dash 0.5.12's options in the order set -o lists them.
var dashOptions = []string{"errexit", "noglob", "ignoreeof", "interactive", "monitor", "noexec", "stdin", "xtrace", "verbose", "vi", "emacs", "noclobber", "allexport", "notify", "nounset", "privileged", "nolog", "debug"}

// bashOptions are bash 5.2's set -o options, in its order.
var bashOptions = []string{"allexport", "braceexpand", "emacs", "errexit", "errtrace", "functrace", "hashall", "histexpand", "history", "ignoreeof", "interactive-comments", "keyword", "monitor", "noclobber", "noexec", "noglob", "nolog", "notify", "nounset", "onecmd", "physical", "pipefail", "posix", "privileged", "verbose", "vi", "xtrace"}

// optionLetters are the single-letter forms of the simulated options.
var optionLetters = map[byte]string{'e': "errexit", 'u': "nounset", 'x': "xtrace", 'f': "noglob", 'm': "monitor"}

// option reports an option's setting; simulated is false for one the
// simulator does not implement (it reads as the real shell's default).
func (s *shell) option(name string) (on, simulated bool) {
	switch name {
	case "errexit":
		return s.errexit, true
	case "nounset":
		return s.nounset, true
	case "xtrace":
		return s.xtrace, true
	case "noglob":
		return s.noglob, true
	case "pipefail":
		return s.pipefail, s.bash
	case "interactive":
		return s.interactive, false
	case "braceexpand", "hashall", "interactive-comments":
		return s.bash, false
	case "emacs", "history", "monitor":
		return s.interactive, false
	}
	return false, false
}

// setOption turns one of set's options on or off.
func (s *shell) setOption(c byte, on bool) {
	s.setNamedOption(optionLetters[c], on)
}

func (s *shell) setNamedOption(name string, on bool) bool {
	switch name {
	case "errexit":
		s.errexit = on
	case "nounset":
		s.nounset = on
	case "xtrace":
		s.xtrace = on
	case "noglob":
		s.noglob = on
	case "pipefail":
		if !s.bash {
			return false
		}
		s.pipefail = on
	case "monitor":
		// Job control is not simulated: a shell that is not interactive
		// has it off already, so set +m (as unshare(1)'s examples run it)
		// changes nothing; turning it on is refused.
		return !on && !s.interactive
	default:
		return false
	}
	return true
}

// setOptions is set with arguments: options, then positional parameters.
func (s *shell) setOptions(args []string) int {
	for len(args) > 0 && len(args[0]) > 0 && (args[0][0] == '-' || args[0][0] == '+') {
		a := args[0]
		if a == "--" || a == "-" {
			args = args[1:]
			s.args = append([]string(nil), args...)
			return 0
		}
		on := a[0] == '-'
		if a[1:] == "o" {
			if len(args) == 1 {
				s.listOptions(on)
				return 0
			}
			if !s.setNamedOption(args[1], on) {
				return s.badOption("-o " + args[1])
			}
			args = args[2:]
			continue
		}
		for i := 1; i < len(a); i++ {
			name, ok := optionLetters[a[i]]
			if !ok || !s.setNamedOption(name, on) {
				return s.badOption(a[:1] + a[i:i+1])
			}
		}
		args = args[1:]
	}
	if len(args) > 0 {
		s.args = append([]string(nil), args...)
	}
	return 0
}

// badOption refuses an option as the shell does: dash ends with status 2,
// bash goes on with status 2 (1 for a -o name).
func (s *shell) badOption(opt string) int {
	if s.bash {
		if name, ok := strings.CutPrefix(opt, "-o "); ok {
			s.errorf("set: %s: invalid option name", name)
			return 1
		}
		s.errorf("set: %s: invalid option", opt)
		s.t.Write(2, []byte("set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n"))
		return 2
	}
	s.fatal("set: Illegal option %s", opt)
	return 2
}

// listOptions is set -o (a table) and set +o (commands that restore).
func (s *shell) listOptions(table bool) {
	names := dashOptions
	if s.bash {
		names = bashOptions
	}
	var b strings.Builder
	if table && !s.bash {
		b.WriteString("Current option settings\n")
	}
	for _, n := range names {
		on, _ := s.option(n)
		word := "off"
		if on {
			word = "on"
		}
		switch {
		case !table:
			sign := "+"
			if on {
				sign = "-"
			}
			b.WriteString("set " + sign + "o " + n + "\n")
		case s.bash:
			b.WriteString(sprintf("%-15s\t%s\n", n, word))
		default:
			b.WriteString(sprintf("%-16s%s\n", n, word))
		}
	}
	s.out(b.String())
}

// times prints the shell's and its children's CPU times: a simulated
// process uses none.
func (s *shell) times([]string) int {
	if s.bash {
		s.out("0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n")
	} else {
		s.out("0m0.000000s 0m0.000000s\n0m0.000000s 0m0.000000s\n")
	}
	return 0
}

// printfNumber reads a numeric argument of printf: a leading number, and
// a complaint (status 1) about the rest, in the shell's words; 'c gives a
// character's code.
func (s *shell) printfNumber(arg string) (int64, bool) {
	t := strings.TrimSpace(arg)
	if t == "" {
		return 0, true
	}
	if t[0] == '\'' || t[0] == '"' {
		if len(t) > 1 {
			return int64(t[1]), true
		}
		return 0, true
	}
	end := 0
	if end < len(t) && (t[end] == '-' || t[end] == '+') {
		end++
	}
	for end < len(t) && (t[end] >= '0' && t[end] <= '9' || end > 0 && strings.IndexByte("xXabcdefABCDEF", t[end]) >= 0 && strings.HasPrefix(strings.TrimLeft(t, "+-"), "0x")) {
		end++
	}
	n, err := strconv.ParseInt(t[:end], 0, 64)
	if err != nil {
		n = 0
	}
	if end == len(t) && err == nil {
		return n, true
	}
	switch {
	case s.bash:
		s.errorf("printf: %s: invalid number", arg)
	case end == 0 || err != nil:
		s.errorf("printf: %s: expected numeric value", arg)
	default:
		s.errorf("printf: %s: not completely converted", arg)
	}
	return n, false
}

// printfFloat is a floating-point argument of printf's %e, %f and %g,
// with printfNumber's messages for one that is not a number.
func (s *shell) printfFloat(arg string) (float64, bool) {
	t := strings.TrimSpace(arg)
	if t == "" {
		return 0, true
	}
	if t[0] == '\'' || t[0] == '"' {
		if len(t) > 1 {
			return float64(t[1]), true
		}
		return 0, true
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil {
		return f, true
	}
	if s.bash {
		s.errorf("printf: %s: invalid number", arg)
	} else {
		s.errorf("printf: %s: expected numeric value", arg)
	}
	return 0, false
}

// killList is kill -l: every signal name, or the name of each number
// given (an exit status 128+N gives N's).
func (s *shell) killList(args []string) int {
	if len(args) == 0 {
		if s.bash {
			// bash's table: POLL is SIGIO there, and the real-time
			// signals 34 to 64 follow.
			var items []string
			for i := 1; i < len(signalNames); i++ {
				name := signalNames[i]
				if name == "POLL" {
					name = "IO"
				}
				items = append(items, sprintf("%2d) SIG%s", i, name))
			}
			for i := 34; i <= 64; i++ {
				name := sprintf("RTMIN+%d", i-34)
				switch {
				case i == 34:
					name = "RTMIN"
				case i == 64:
					name = "RTMAX"
				case i > 49:
					name = sprintf("RTMAX-%d", 64-i)
				}
				items = append(items, sprintf("%2d) SIG%s", i, name))
			}
			var b strings.Builder
			for i, it := range items {
				b.WriteString(it)
				switch {
				case i%5 == 4:
					b.WriteString("\n")
				case i == len(items)-1:
					b.WriteString("\t\n")
				default:
					b.WriteString("\t")
				}
			}
			s.out(b.String())
			return 0
		}
		// dash lists signal 0 too.
		s.out("0\n" + strings.Join(signalNames[1:], "\n") + "\n")
		return 0
	}
	status := 0
	for _, a := range args {
		n, err := strconv.Atoi(a)
		if err != nil {
			if sig, ok := signalNumber(a); ok {
				s.out(itoa(sig) + "\n")
				continue
			}
			if s.bash {
				s.errorf("kill: %s: invalid signal specification", a)
			} else {
				s.errorf("kill: invalid signal number or name: %s", a)
			}
			status = 1
			continue
		}
		if n > 128 {
			n -= 128
		}
		if n <= 0 || n >= len(signalNames) {
			if s.bash {
				s.errorf("kill: %s: invalid signal specification", a)
			} else {
				s.errorf("kill: invalid signal number or name: %s", a)
			}
			status = 1
			continue
		}
		s.out(signalNames[n] + "\n")
	}
	return status
}

// ulimit prints the file size limit, which the simulated lab does not
// bound: "unlimited". The other limits are not simulated: their options
// are refused as the shell refuses an unknown one.
func (s *shell) ulimit(argv []string) int {
	for _, a := range argv[1:] {
		if a == "-f" {
			continue
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			if s.bash {
				s.t.Write(2, []byte(s.name+": ulimit: "+a[:2]+": invalid option\nulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]\n"))
				return 2
			}
			s.errorf("ulimit: Illegal option %s", a[:2])
			return 2
		}
		// Setting a limit is not simulated either.
		if s.bash {
			s.errorf("ulimit: %s: invalid number", a)
			return 1
		}
		s.errorf("ulimit: Illegal number: %s", a)
		return 2
	}
	s.out("unlimited\n")
	return 0
}

// trapERR is the key of bash's ERR trap among the shell's traps (beyond
// the signal numbers).
const trapERR = 100

// redirStatus is the status of a command whose redirection failed: 2 in
// dash, 1 in bash.
func (s *shell) redirStatus() int {
	if s.bash {
		return 1
	}
	return 2
}
