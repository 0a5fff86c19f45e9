package sim

import (
	"bytes"
	"io"
)

// catProgram is cat of GNU coreutils 9.1: it copies each FILE ("-" or
// none: standard input) to standard output, with -n/-b numbering lines
// (counted across files), -s squeezing runs of empty lines, -E marking
// line ends with $, -T showing tabs as ^I, -v showing other control and
// high bytes as ^X and M-X, -A/-e/-t combining them, and -u ignored.
func catProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'A': 0, 'b': 0, 'e': 0, 'E': 0, 'n': 0, 's': 0, 't': 0, 'T': 0, 'u': 0, 'v': 0},
		long: map[string]longOpt{"show-all": {'A', 0}, "number-nonblank": {'b', 0}, "show-ends": {'E', 0},
			"number": {'n', 0}, "squeeze-blank": {'s', 0}, "show-tabs": {'T', 0}, "show-nonprinting": {'v', 0}},
	}
	opts, files, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "cat", msg)
	}
	c := &catState{}
	for _, o := range opts {
		switch o.code {
		case 'A':
			c.nonprint, c.ends, c.tabs = true, true, true
		case 'b':
			c.number, c.nonblank = true, true
		case 'e':
			c.nonprint, c.ends = true, true
		case 'E':
			c.ends = true
		case 'n':
			c.number = true
		case 's':
			c.squeeze = true
		case 't':
			c.nonprint, c.tabs = true, true
		case 'T':
			c.tabs = true
		case 'v':
			c.nonprint = true
		}
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	plain := !c.number && !c.squeeze && !c.ends && !c.tabs && !c.nonprint
	status := 0
	for _, f := range files {
		var data []byte
		if f == "-" {
			if plain {
				if _, err := io.Copy(p.Stdout(), p.Stdin()); err != nil {
					return 1
				}
				continue
			}
			var b bytes.Buffer
			if _, err := io.Copy(&b, p.Stdin()); err != nil {
				return 1
			}
			data = b.Bytes()
		} else {
			var err error
			data, err = p.ReadFile(f)
			if err != nil {
				p.Errorf("cat: %s: %s\n", f, err.Error())
				status = 1
				continue
			}
		}
		if !plain {
			data = c.convert(data)
		}
		if _, err := p.Stdout().Write(data); err != nil {
			p.Errorf("cat: write error: %s\n", err.Error())
			return 1
		}
	}
	return status
}

// catState is cat's options and the state it carries from one file to
// the next, as coreutils' cat does: the line number and how many newlines
// ended the output so far (-1 inside a line).
type catState struct {
	number, nonblank, squeeze, ends, tabs, nonprint bool

	line     int
	newlines int
}

func (c *catState) convert(data []byte) []byte {
	var out []byte
	num := func() {
		c.line++
		out = append(out, sprintf("%6d\t", c.line)...)
	}
	for i, ch := range data {
		if ch == '\n' {
			c.newlines++
			if c.newlines > 0 {
				if c.newlines >= 2 {
					c.newlines = 2
					if c.squeeze {
						continue
					}
				}
				if c.number && !c.nonblank {
					num()
				}
			}
			if c.ends {
				out = append(out, '$')
			}
			out = append(out, '\n')
			continue
		}
		if c.newlines >= 0 && c.number {
			num()
		}
		c.newlines = -1
		switch {
		case ch == '\t':
			if c.tabs {
				out = append(out, '^', 'I')
			} else {
				out = append(out, ch)
			}
		case ch == '\r' && c.ends && i+1 < len(data) && data[i+1] == '\n':
			// -E shows a CRLF ending as ^M$ (coreutils 9.1).
			out = append(out, '^', 'M')
		case !c.nonprint:
			out = append(out, ch)
		case ch >= 128:
			out = append(out, 'M', '-')
			out = catVisible(out, ch-128)
		default:
			out = catVisible(out, ch)
		}
	}
	return out
}

// catVisible appends b (below 128) as -v shows it: control characters
// as ^X, DEL as ^?.
func catVisible(out []byte, b byte) []byte {
	switch {
	case b < 32:
		return append(out, '^', b+64)
	case b == 127:
		return append(out, '^', '?')
	}
	return append(out, b)
}
