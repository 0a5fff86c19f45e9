package sim

import (
	"errors"
	"strings"
)

// teeModes are --output-error's arguments, in coreutils' order.
var teeModes = []string{"warn", "warn-nopipe", "exit", "exit-nopipe"}

// teeProgram is coreutils 9.1's tee: it copies standard input to
// standard output and each FILE (a "-" is a file too), with -a, -i, and
// -p/--output-error[=MODE] choosing what a failed write does.
func teeProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'a': 0, 'i': 0, 'p': 0},
		long: map[string]longOpt{
			"append": {'a', 0}, "ignore-interrupts": {'i', 0}, "output-error": {200, 2},
		},
	}
	opts, files, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "tee", msg)
	}
	appendTo := false
	mode := "" // "": die of SIGPIPE, as without -p
	for _, o := range opts {
		switch o.code {
		case 'a':
			appendTo = true
		case 'i':
			p.T.ignored[SIGINT] = true
		case 'p':
			mode = "warn-nopipe"
		case 200:
			if !o.hasVal {
				mode = "warn-nopipe"
				continue
			}
			var found []string
			for _, m := range teeModes {
				if m == o.value {
					found = []string{m}
					break
				}
				if strings.HasPrefix(m, o.value) {
					found = append(found, m)
				}
			}
			switch {
			case len(found) == 1:
				mode = found[0]
			default:
				what := "invalid"
				if len(found) > 1 {
					what = "ambiguous"
				}
				p.Errorf("tee: %s argument ‘%s’ for ‘--output-error’\nValid arguments are:\n  - ‘warn’\n  - ‘warn-nopipe’\n  - ‘exit’\n  - ‘exit-nopipe’\nTry 'tee --help' for more information.\n", what, o.value)
				return 1
			}
		}
	}
	if mode != "" {
		p.T.ignored[SIGPIPE] = true
	}
	status := 0
	fds := []int{1}
	names := []string{"standard output"}
	flags := openWrite | openCreate | openTrunc
	if appendTo {
		flags = openWrite | openCreate | openAppend
	}
	for _, f := range files {
		file, err := p.K.open(p.T, f, flags)
		if err != nil {
			p.Errorf("tee: %s: %s\n", teeQuote(f), err.Error())
			status = 1
			continue
		}
		fd := p.T.freeFD(3)
		p.T.fds[fd] = file
		defer p.T.closeFD(fd)
		fds = append(fds, fd)
		names = append(names, f)
	}
	live := len(fds)
	buf := make([]byte, 8192)
	in := p.Stdin()
	for live > 0 {
		n, err := in.Read(buf)
		for i, fd := range fds {
			if n == 0 || fd < 0 {
				continue
			}
			if _, werr := p.T.Write(fd, buf[:n]); werr != nil {
				pipe := errors.Is(werr, Errno(32))
				fail := !pipe || mode == "warn" || mode == "exit"
				if fail {
					text := werr.Error()
					if pipe {
						text = "Broken pipe"
					}
					p.Errorf("tee: %s: %s\n", teeQuote(names[i]), text)
					status = 1
					if mode == "exit" || mode == "exit-nopipe" {
						return 1
					}
				}
				fds[i] = -1
				live--
			}
		}
		if err != nil {
			break
		}
	}
	return status
}

// teeQuote is coreutils' quotef: a name with characters a shell would
// take specially (a space) is shown in single quotes.
func teeQuote(name string) string {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(isDigit(c) || trAlpha(c) || strings.IndexByte("%+,-./:=@_^", c) >= 0) {
			if strings.IndexByte(name, '\'') >= 0 {
				return "\"" + name + "\""
			}
			return "'" + name + "'"
		}
	}
	return name
}
