package sim

import (
	"bufio"
	"io"
	"strings"
)

// headSpec holds coreutils 9.1 head's options; the digits are there so
// that a -NUM after the first argument is refused as head refuses it.
var headSpec = optSpec{
	short: map[byte]int{
		'c': 1, 'n': 1, 'q': 0, 'v': 0, 'z': 0,
		'0': 0, '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, '6': 0, '7': 0, '8': 0, '9': 0,
	},
	long: map[string]longOpt{
		"bytes": {'c', 1}, "lines": {'n', 1}, "quiet": {'q', 0}, "silent": {'q', 0},
		"verbose": {'v', 0}, "zero-terminated": {'z', 0},
	},
}

// headProgram is coreutils 9.1's head: the first -n lines or -c bytes,
// or all but the last with a leading '-', headers for several files
// (-q, -v), -z, and the obsolete first argument -NUM[bcklmqvz].
func headProgram(p *Proc) int {
	args := p.Args[1:]
	n, lines, elide := uint64(10), true, false
	header := 0 // 0: for several files, -1: never, 1: always
	eol := byte('\n')
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && isDigit(args[0][1]) {
		a := args[0][1:]
		end := 0
		for end < len(a) && isDigit(a[end]) {
			end++
		}
		num, mult := a[:end], ""
		for _, c := range []byte(a[end:]) {
			switch c {
			case 'c':
				lines, mult = false, ""
			case 'b', 'k', 'm':
				lines, mult = false, string(c)
			case 'l':
				lines = true
			case 'q':
				header = -1
			case 'v':
				header = 1
			case 'z':
				eol = 0
			default:
				p.Errorf("head: invalid trailing option -- %c\nTry 'head --help' for more information.\n", c)
				return 1
			}
		}
		v, msg := headNumber(num+mult, lines)
		if msg != "" {
			p.Errorf("head: %s\n", msg)
			return 1
		}
		n = v
		args = args[1:]
	}
	opts, files, msg := getoptLong(headSpec, args, false)
	if msg != "" {
		return usageError(p, "head", msg)
	}
	for _, o := range opts {
		switch o.code {
		case 'c', 'n':
			lines = o.code == 'n'
			v := o.value
			elide = strings.HasPrefix(v, "-")
			if elide {
				v = v[1:]
			}
			num, msg := headNumber(v, lines)
			if msg != "" {
				p.Errorf("head: %s\n", msg)
				return 1
			}
			n = num
		case 'q':
			header = -1
		case 'v':
			header = 1
		case 'z':
			eol = 0
		default: // a digit
			p.Errorf("head: invalid trailing option -- %c\nTry 'head --help' for more information.\n", o.code)
			return 1
		}
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	headers := header == 1 || (header == 0 && len(files) > 1)
	status, first := 0, true
	for _, f := range files {
		name := f
		if f == "-" {
			name = "standard input"
		}
		writeHeader := func() {
			if headers {
				sep := "\n"
				if first {
					sep = ""
				}
				p.Printf("%s==> %s <==\n", sep, name)
				first = false
			}
		}
		if f == "-" && !elide {
			writeHeader()
			headStream(p, n, lines, eol)
			continue
		}
		var data []byte
		if f == "-" {
			data, _ = io.ReadAll(p.Stdin())
		} else {
			r, err := p.K.lookup(p.T, f, true)
			if err == nil && !r.node.isDir() {
				data, err = p.ReadFile(f)
			}
			if err != nil {
				p.Errorf("head: cannot open '%s' for reading: %s\n", f, err.Error())
				status = 1
				continue
			}
			if r.node.isDir() {
				writeHeader()
				p.Errorf("head: error reading '%s': Is a directory\n", f)
				status = 1
				continue
			}
		}
		writeHeader()
		p.Stdout().Write(headCut(data, n, lines, elide, eol))
	}
	return status
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// headStream copies the first n lines or bytes of standard input and
// stops reading there, so that a writer into the pipe gets SIGPIPE.
func headStream(p *Proc, n uint64, lines bool, eol byte) {
	r := bufio.NewReader(p.Stdin())
	var out []byte
	for ; n > 0; n-- {
		if !lines {
			c, err := r.ReadByte()
			if err != nil {
				break
			}
			out = append(out, c)
			continue
		}
		chunk, err := r.ReadBytes(eol)
		out = append(out, chunk...)
		if err != nil {
			break
		}
	}
	p.Stdout().Write(out)
}

// headCut returns the part of data head prints: the first n lines or
// bytes, or with elide all but the last n.
func headCut(data []byte, n uint64, lines, elide bool, eol byte) []byte {
	if !lines {
		if elide {
			n = uint64(len(data)) - min(n, uint64(len(data)))
		}
		return data[:min(n, uint64(len(data)))]
	}
	// ends[i] is the offset just past line i; an unterminated last line
	// counts as a line.
	var ends []int
	for i, c := range data {
		if c == eol {
			ends = append(ends, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != eol {
		ends = append(ends, len(data))
	}
	keep := n
	if elide {
		keep = uint64(len(ends)) - min(n, uint64(len(ends)))
	}
	if keep == 0 {
		return nil
	}
	if keep >= uint64(len(ends)) {
		return data
	}
	return data[:ends[keep-1]]
}

// headNumber reads a count as coreutils' xdectoumax with the suffixes
// "bkKmMGTPEZY0": b is 512, k/K 1024 (kB 1000, KiB 1024), M, G ... its
// powers.
func headNumber(s string, lines bool) (uint64, string) {
	what := "bytes"
	if lines {
		what = "lines"
	}
	bad := "invalid number of " + what + ": ‘" + s + "’"
	digits := strings.TrimPrefix(s, "+")
	end := 0
	for end < len(digits) && isDigit(digits[end]) {
		end++
	}
	if end == 0 {
		return 0, bad
	}
	var v uint64
	overflow := false
	for _, c := range []byte(digits[:end]) {
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			overflow = true
		}
		v = v*10 + d
	}
	suffix := digits[end:]
	if suffix != "" {
		base, power := uint64(1024), 0
		switch rest := suffix[1:]; rest {
		case "":
		case "B":
			base = 1000
		case "iB":
		default:
			return 0, bad
		}
		switch suffix[0] {
		case 'b':
			if len(suffix) > 1 {
				return 0, bad
			}
			if v > (1<<64-1)/512 {
				overflow = true
			}
			v *= 512
		case 'k', 'K':
			power = 1
		case 'm', 'M':
			power = 2
		case 'G':
			power = 3
		case 'T':
			power = 4
		case 'P':
			power = 5
		case 'E':
			power = 6
		case 'Z':
			power = 7
		case 'Y':
			power = 8
		default:
			return 0, bad
		}
		for ; power > 0; power-- {
			if v > (1<<64-1)/base {
				overflow = true
			}
			v *= base
		}
	}
	if overflow {
		return 0, bad + ": Value too large for defined data type"
	}
	return v, ""
}
