package sim

import (
	"io"
	"strings"
)

// trClasses are the character classes tr knows, in the C locale.
var trClasses = map[string]func(c byte) bool{
	"alnum":  func(c byte) bool { return isDigit(c) || trAlpha(c) },
	"alpha":  trAlpha,
	"blank":  func(c byte) bool { return c == ' ' || c == '\t' },
	"cntrl":  func(c byte) bool { return c < 0x20 || c == 0x7f },
	"digit":  isDigit,
	"graph":  func(c byte) bool { return c > 0x20 && c < 0x7f },
	"lower":  func(c byte) bool { return c >= 'a' && c <= 'z' },
	"print":  func(c byte) bool { return c >= 0x20 && c < 0x7f },
	"punct":  func(c byte) bool { return c > 0x20 && c < 0x7f && !isDigit(c) && !trAlpha(c) },
	"space":  func(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') },
	"upper":  func(c byte) bool { return c >= 'A' && c <= 'Z' },
	"xdigit": func(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') },
}

func trAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// trSet is an expanded SET: its bytes, where a case class starts (for
// the alignment of [:upper:] with [:lower:]), and a [c*] repeat to fill.
type trSet struct {
	chars      []byte
	classAt    map[int]string
	fillAt     int // index of a [c*] with no count, -1 for none
	fillChar   byte
	otherClass bool // a class other than upper and lower
}

// trUnescape turns SET's backslash escapes into bytes, marking which
// bytes came from an escape (they are never operators).
func trUnescape(s string) ([]byte, []bool) {
	var out []byte
	var esc []bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out, esc = append(out, c), append(esc, false)
			continue
		}
		i++
		switch n := s[i]; n {
		case 'a':
			c = '\a'
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		case 'v':
			c = '\v'
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(n - '0')
			for k := 0; k < 2 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7' && v*8+int(s[i+1]-'0') <= 255; k++ {
				i++
				v = v*8 + int(s[i]-'0')
			}
			c = byte(v)
		default:
			c = n
		}
		out, esc = append(out, c), append(esc, true)
	}
	return out, esc
}

// trExpand expands SET as tr's build_spec_list and friends do.
func trExpand(s string, set2 bool) (trSet, string) {
	raw, esc := trUnescape(s)
	set := trSet{classAt: map[int]string{}, fillAt: -1}
	op := func(i int, c byte) bool { return i < len(raw) && raw[i] == c && !esc[i] }
	for i := 0; i < len(raw); {
		if op(i, '[') && i+1 < len(raw) {
			// [:class:] and [=c=]
			if op(i+1, ':') || op(i+1, '=') {
				delim := raw[i+1]
				for j := i + 2; j+1 < len(raw); j++ {
					if op(j, delim) && op(j+1, ']') {
						name := string(raw[i+2 : j])
						if delim == '=' {
							if len(name) != 1 {
								return set, "tr: " + name + ": equivalence class operand must be a single character"
							}
							set.chars = append(set.chars, name[0])
						} else {
							is, ok := trClasses[name]
							if !ok {
								return set, "tr: invalid character class ‘" + name + "’"
							}
							if name == "upper" || name == "lower" {
								set.classAt[len(set.chars)] = name
							} else {
								set.otherClass = true
							}
							for c := 0; c < 256; c++ {
								if is(byte(c)) {
									set.chars = append(set.chars, byte(c))
								}
							}
						}
						i = j + 2
						goto next
					}
				}
			}
			// [c*n]
			if i+2 < len(raw) && op(i+2, '*') {
				j := i + 3
				for j < len(raw) && isDigit(raw[j]) {
					j++
				}
				if op(j, ']') {
					if !set2 {
						return set, "tr: the [c*] repeat construct may not appear in string1"
					}
					count := string(raw[i+3 : j])
					n := 0
					if count != "" {
						base := 10
						if count[0] == '0' {
							base = 8
						}
						for _, d := range []byte(count) {
							if base == 8 && d > '7' {
								return set, "tr: invalid repeat count ‘" + count + "’ in [c*n] construct"
							}
							n = min(n*base+int(d-'0'), 1<<20)
						}
					}
					if n == 0 {
						if set.fillAt >= 0 {
							return set, "tr: only one [c*] repeat construct may appear in string2"
						}
						set.fillAt, set.fillChar = len(set.chars), raw[i+1]
					}
					for ; n > 0; n-- {
						set.chars = append(set.chars, raw[i+1])
					}
					i = j + 1
					continue
				}
			}
		}
		if i+2 < len(raw) && op(i+1, '-') {
			lo, hi := raw[i], raw[i+2]
			if lo > hi {
				return set, "tr: range-endpoints of '" + string(raw[i:i+3]) + "' are in reverse collating sequence order"
			}
			for c := int(lo); c <= int(hi); c++ {
				set.chars = append(set.chars, byte(c))
			}
			i += 3
			continue
		}
		set.chars = append(set.chars, raw[i])
		i++
	next:
	}
	return set, ""
}

// trProgram is coreutils 9.1's tr: translate, -d, -s, -c/-C and -t.
func trProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'c': 0, 'C': 0, 'd': 0, 's': 0, 't': 0},
		long: map[string]longOpt{
			"complement": {'c', 0}, "delete": {'d', 0},
			"squeeze-repeats": {'s', 0}, "truncate-set1": {'t', 0},
		},
	}
	opts, sets, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "tr", msg)
	}
	var complement, del, squeeze, truncate bool
	for _, o := range opts {
		switch o.code {
		case 'c', 'C':
			complement = true
		case 'd':
			del = true
		case 's':
			squeeze = true
		case 't':
			truncate = true
		}
	}
	translating := !del && len(sets) == 2
	need, most := 2, 2
	why := "Two strings must be given when translating."
	switch {
	case del && squeeze:
		why = "Two strings must be given when both deleting and squeezing repeats."
	case del:
		need, most = 1, 1
	case squeeze:
		need = 1
	}
	if len(sets) == 0 {
		return usageError(p, "tr", "missing operand")
	}
	if len(sets) < need {
		p.Errorf("tr: missing operand after ‘%s’\n%s\nTry 'tr --help' for more information.\n", sets[len(sets)-1], why)
		return 1
	}
	if len(sets) > most {
		p.Errorf("tr: extra operand ‘%s’\n", sets[most])
		if del && !squeeze {
			p.Errorf("Only one string may be given when deleting without squeezing repeats.\n")
		}
		p.Errorf("Try 'tr --help' for more information.\n")
		return 1
	}
	s1, msg := trExpand(sets[0], false)
	if msg != "" {
		p.Errorf("%s\n", msg)
		return 1
	}
	from := s1.chars
	if complement {
		in := [256]bool{}
		for _, c := range from {
			in[c] = true
		}
		from = nil
		for c := 0; c < 256; c++ {
			if !in[c] {
				from = append(from, byte(c))
			}
		}
	}
	var to []byte
	if len(sets) == 2 {
		s2, msg := trExpand(sets[1], true)
		if msg != "" {
			p.Errorf("%s\n", msg)
			return 1
		}
		if translating {
			if s2.otherClass {
				p.Errorf("tr: when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'\n")
				return 1
			}
			for at := range s2.classAt {
				if _, ok := s1.classAt[at]; !ok || complement {
					p.Errorf("tr: misaligned [:upper:] and/or [:lower:] construct\n")
					return 1
				}
			}
		}
		to = s2.chars
		if s2.fillAt >= 0 {
			fill := max(len(from)-len(to), 0)
			to = append(append(append([]byte(nil), to[:s2.fillAt]...), []byte(strings.Repeat(string(s2.fillChar), fill))...), to[s2.fillAt:]...)
		}
		if translating {
			switch {
			case truncate:
				from = from[:min(len(from), len(to))]
			case len(to) == 0 && len(from) > 0:
				p.Errorf("tr: when not truncating set1, string2 must be non-empty\n")
				return 1
			}
			for len(to) < len(from) {
				to = append(to, to[len(to)-1])
			}
		}
	}
	var mapping [256]byte
	for c := range mapping {
		mapping[c] = byte(c)
	}
	var inFrom, inSqueeze [256]bool
	for i, c := range from {
		inFrom[c] = true
		if translating {
			mapping[c] = to[i]
		}
	}
	sq := from
	if len(sets) == 2 {
		sq = to
	}
	for _, c := range sq {
		inSqueeze[c] = true
	}
	data, _ := io.ReadAll(p.Stdin())
	out := make([]byte, 0, len(data))
	for _, c := range data {
		if del && inFrom[c] {
			continue
		}
		c = mapping[c]
		if squeeze && inSqueeze[c] && len(out) > 0 && out[len(out)-1] == c {
			continue
		}
		out = append(out, c)
	}
	p.Stdout().Write(out)
	return 0
}
