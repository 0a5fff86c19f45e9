package sim

import (
	"io"
	"strconv"
	"strings"
)

// tailFile is one input of tail.
type tailFile struct {
	name string
	node *inode // nil for a pipe or a file that could not be opened
	sent int    // bytes of node.data already written (following)
}

// tailProgram is tail of GNU coreutils 9.1: the last -n lines (or -c
// bytes; +N counts from the start), headers for several files (-q, -v),
// and -f, which follows the files by descriptor until tail is killed (or,
// with --pid, the process dies), reporting a truncated file. A pipe is not
// followed. Following reacts at once, as with inotify.
func tailProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'n': 1, 'c': 1, 'f': 0, 'q': 0, 'v': 0, 's': 1},
		long: map[string]longOpt{"lines": {'n', 1}, "bytes": {'c', 1}, "follow": {'f', 2}, "quiet": {'q', 0},
			"silent": {'q', 0}, "verbose": {'v', 0}, "sleep-interval": {'s', 1}, "pid": {200, 1}},
	}
	args := p.Args[1:]
	// The obsolete form -N (lines) is still read.
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && args[0][1] >= '0' && args[0][1] <= '9' {
		args = append([]string{"-n", args[0][1:]}, args[1:]...)
	}
	opts, files, msg := getoptLong(spec, args, false)
	if msg != "" {
		return usageError(p, "tail", msg)
	}
	count, bytes, fromStart := 10, false, false
	follow, headers := false, len(files) > 1
	pid := 0
	for _, o := range opts {
		switch o.code {
		case 'n', 'c':
			v := o.value
			fromStart = strings.HasPrefix(v, "+")
			n, err := strconv.Atoi(strings.TrimLeft(v, "+-"))
			if err != nil || n < 0 {
				what := "lines"
				if o.code == 'c' {
					what = "bytes"
				}
				p.Errorf("tail: invalid number of %s: ‘%s’\n", what, v)
				return 1
			}
			count, bytes = n, o.code == 'c'
		case 'f':
			if o.hasVal && o.value != "descriptor" {
				if o.value == "name" {
					return usageError(p, "tail", "unrecognized option '--follow=name'")
				}
				p.Errorf("tail: invalid argument ‘%s’ for ‘--follow’\nValid arguments are:\n  - ‘descriptor’\n  - ‘name’\nTry 'tail --help' for more information.\n", o.value)
				return 1
			}
			follow = true
		case 'q':
			headers = false
		case 'v':
			headers = true
		case 's':
			if _, err := strconv.ParseFloat(o.value, 64); err != nil {
				p.Errorf("tail: invalid number of seconds: ‘%s’\n", o.value)
				return 1
			}
		case 200:
			n, err := strconv.Atoi(o.value)
			if err != nil || n < 0 {
				p.Errorf("tail: invalid PID: ‘%s’\n", o.value)
				return 1
			}
			pid = n
		}
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := 0
	var inputs []*tailFile
	for i, name := range files {
		tf := &tailFile{name: name}
		var data []byte
		if name == "-" {
			tf.name = "standard input"
			if f := p.T.fds[0]; f != nil && f.node != nil && !f.node.isDir() {
				// A regular file on standard input is followed like one
				// named.
				tf.node = f.node
			}
			data, _ = io.ReadAll(p.Stdin())
		} else {
			r, err := p.K.lookup(p.T, name, true)
			if err == nil && r.node.isDir() {
				err = EISDIR
			}
			if err == nil {
				data, err = p.ReadFile(name)
			}
			if err != nil {
				if err == EISDIR {
					if headers {
						tailHeader(p, i, name)
					}
					p.Errorf("tail: error reading '%s': Is a directory\n", name)
				} else {
					p.Errorf("tail: cannot open '%s' for reading: %s\n", name, err.Error())
				}
				status = 1
				continue
			}
			tf.node = r.node
		}
		if headers {
			tailHeader(p, i, tf.name)
		}
		p.Stdout().Write(tailCut(data, count, bytes, fromStart))
		tf.sent = len(data)
		inputs = append(inputs, tf)
	}
	if !follow {
		return status
	}
	var followed []*tailFile
	for _, tf := range inputs {
		if tf.node != nil {
			followed = append(followed, tf)
		}
	}
	if len(followed) == 0 {
		if len(inputs) == 0 {
			p.Errorf("tail: no files remaining\n")
			return 1
		}
		return status
	}
	k := p.K
	last := followed[len(followed)-1]
	for {
		changed := func() bool {
			for _, tf := range followed {
				if len(tf.node.data) != tf.sent {
					return true
				}
			}
			return pid != 0 && !tailAlive(p, pid)
		}
		wake := int64(0)
		if pid != 0 {
			// --pid is checked every second (-s).
			wake = k.now + 1e9
			p.T.block(func() bool { return changed() || k.now >= wake }, wake)
		} else {
			p.T.block(changed, 0)
		}
		for _, tf := range followed {
			n := len(tf.node.data)
			if n == tf.sent {
				continue
			}
			if n < tf.sent {
				p.Errorf("tail: %s: file truncated\n", tf.name)
				tf.sent = 0
			}
			if tf != last && len(followed) > 1 && headers {
				p.Printf("\n==> %s <==\n", tf.name)
			}
			last = tf
			p.Stdout().Write(append([]byte(nil), tf.node.data[tf.sent:n]...))
			tf.sent = n
		}
		if pid != 0 && !tailAlive(p, pid) {
			return status
		}
	}
}

// tailAlive reports whether --pid's process still lives.
func tailAlive(p *Proc, pid int) bool {
	t := p.T.PIDNS().tasks[pid]
	return t != nil && !t.exited
}

// tailHeader prints "==> NAME <==", after a blank line but for the first.
func tailHeader(p *Proc, i int, name string) {
	if i > 0 {
		p.Printf("\n")
	}
	p.Printf("==> %s <==\n", name)
}

// tailCut returns the part of data tail prints.
func tailCut(data []byte, n int, bytes, fromStart bool) []byte {
	if bytes {
		if fromStart {
			if n > 0 {
				n--
			}
			if n > len(data) {
				n = len(data)
			}
			return data[n:]
		}
		if n > len(data) {
			n = len(data)
		}
		return data[len(data)-n:]
	}
	if fromStart {
		if n > 0 {
			n--
		}
		i := 0
		for ; n > 0 && i < len(data); i++ {
			if data[i] == '\n' {
				n--
			}
		}
		return data[i:]
	}
	// Count newlines back from the end; a last line without one counts.
	end := len(data)
	if end > 0 && data[end-1] == '\n' {
		end--
	}
	i := end
	for seen := 0; i > 0; i-- {
		if data[i-1] == '\n' {
			seen++
			if seen == n {
				break
			}
		}
	}
	if n == 0 {
		i = len(data)
	}
	return data[i:]
}
