package sim

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// wcSpec holds the options of coreutils 9.1's wc that this one
// implements; --files0-from is left out, so getopt refuses it.
var wcSpec = optSpec{
	short: map[byte]int{'c': 0, 'm': 0, 'l': 0, 'w': 0, 'L': 0},
	long: map[string]longOpt{
		"bytes": {'c', 0}, "chars": {'m', 0}, "lines": {'l', 0},
		"words": {'w', 0}, "max-line-length": {'L', 0},
	},
}

// wcCounts is what wc counts in one input.
type wcCounts struct{ lines, words, chars, bytes, longest int }

// wcCount counts as coreutils' wc does in a UTF-8 locale: words are runs
// of printable non-space characters, -L measures columns with tabs to
// the next multiple of 8, and \r and \f end a line for -L.
func wcCount(data []byte) wcCounts {
	var c wcCounts
	c.bytes = len(data)
	inWord := false
	pos := 0
	for s := data; len(s) > 0; {
		r, size := utf8.DecodeRune(s)
		s = s[size:]
		if r == utf8.RuneError && size == 1 {
			continue // an invalid byte is no character
		}
		c.chars++
		switch r {
		case '\n', '\r', '\f':
			if r == '\n' {
				c.lines++
			}
			c.longest = max(c.longest, pos)
			pos = 0
			c.words, inWord = c.words+wcBool(inWord), false
		case '\t':
			pos += 8 - pos%8
			c.words, inWord = c.words+wcBool(inWord), false
		case ' ':
			pos++
			c.words, inWord = c.words+wcBool(inWord), false
		case '\v':
			c.words, inWord = c.words+wcBool(inWord), false
		default:
			if unicode.IsPrint(r) || unicode.IsSpace(r) {
				pos += wcColumns(r)
				if unicode.IsSpace(r) {
					c.words, inWord = c.words+wcBool(inWord), false
				} else {
					inWord = true
				}
			}
		}
	}
	c.longest = max(c.longest, pos)
	c.words += wcBool(inWord)
	return c
}

func wcBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// wcProgram is coreutils 9.1's wc.
func wcProgram(p *Proc) int {
	opts, files, msg := getoptLong(wcSpec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "wc", msg)
	}
	show := map[byte]bool{}
	for _, o := range opts {
		show[o.code] = true
	}
	if len(show) == 0 {
		show['l'], show['w'], show['c'] = true, true, true
	}
	stdinOnly := len(files) == 0
	if stdinOnly {
		files = []string{"-"}
	}
	width := wcWidth(p, files, len(show))
	line := func(c wcCounts, name string) {
		var parts []string
		for _, f := range []struct {
			code byte
			n    int
		}{{'l', c.lines}, {'w', c.words}, {'m', c.chars}, {'c', c.bytes}, {'L', c.longest}} {
			if show[f.code] {
				parts = append(parts, sprintf("%*d", width, f.n))
			}
		}
		s := strings.Join(parts, " ")
		if !stdinOnly {
			s += " " + name
		}
		p.Stdout().Write([]byte(s + "\n"))
	}
	status := 0
	var total wcCounts
	for _, f := range files {
		var data []byte
		if f == "-" {
			data, _ = io.ReadAll(p.Stdin())
		} else {
			var err error
			data, err = p.ReadFile(f)
			if err != nil {
				p.Errorf("wc: %s: %s\n", f, err.Error())
				status = 1
				if err != EISDIR {
					continue
				}
				// wc opened the directory: its read failed, and the
				// zero counts are still printed.
			}
		}
		c := wcCount(data)
		line(c, f)
		total.lines += c.lines
		total.words += c.words
		total.chars += c.chars
		total.bytes += c.bytes
		total.longest = max(total.longest, c.longest)
	}
	if len(files) > 1 {
		line(total, "total")
	}
	return status
}

// wcWidth is coreutils' compute_number_width: one count of one input
// needs no padding; otherwise the width of the regular files' total
// size, and at least 7 when an input is not a regular file (a pipe).
func wcWidth(p *Proc, files []string, counts int) int {
	if len(files) == 1 && counts == 1 {
		return 1
	}
	minimum, size := 1, 0
	for _, f := range files {
		var node *inode
		if f == "-" {
			if fd := p.T.fds[0]; fd != nil {
				node = fd.node
			}
			if node == nil {
				minimum = 7
				continue
			}
		} else {
			r, err := p.K.lookup(p.T, f, true)
			if err != nil {
				continue // a file stat fails on counts for nothing
			}
			node = r.node
		}
		if node.kind == kindFile && node.gen == nil && !node.devNull {
			size += len(node.data)
		} else if node.kind != kindFile || node.devNull {
			minimum = 7
		}
	}
	return max(len(itoa(size)), minimum)
}

// wcColumns is wcwidth for a printable character: 0 for a combining
// mark, 2 for the East Asian wide and fullwidth blocks, else 1.
func wcColumns(r rune) int {
	switch {
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r):
		return 0
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0x303E,
		r >= 0x3041 && r <= 0x33FF, r >= 0x3400 && r <= 0x4DBF,
		r >= 0x4E00 && r <= 0x9FFF, r >= 0xA000 && r <= 0xA4CF,
		r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF,
		r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6, r >= 0x1F300 && r <= 0x1F64F,
		r >= 0x1F900 && r <= 0x1F9FF, r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}
