package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// awk values: a number, a string, or a "strnum" (input that looks
// numeric, compared as a number). The zero awkVal is the uninitialised
// value, both "" and 0.
type awkVal struct {
	kind uint8
	s    string
	n    float64
}

const (
	avUninit = iota
	avNum
	avStr
	avStrnum
)

func awkNum(n float64) awkVal { return awkVal{kind: avNum, n: n} }
func awkStr(s string) awkVal  { return awkVal{kind: avStr, s: s} }
func awkBool(b bool) awkVal   { return awkNum(map[bool]float64{false: 0, true: 1}[b]) }
func (v awkVal) isNum() bool  { return v.kind == avNum || v.kind == avStrnum || v.kind == avUninit }

// awkInput makes a value from input text: a strnum if it looks numeric.
func awkInput(s string) awkVal {
	t := strings.Trim(s, " \t\n\r\f\v")
	if t != "" {
		if n, used := awkStrtod(t); used == len(t) {
			return awkVal{kind: avStrnum, s: s, n: n}
		}
	}
	return awkStr(s)
}

// awkStrtod reads the longest number at the start of s, as strtod(3)
// does for decimal text; it returns the value and the bytes used.
func awkStrtod(s string) (float64, int) {
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\r\f\v", s[i]) >= 0 {
		i++
	}
	start := i
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0
	}
	if i-start >= 1 && s[i-1] == '0' && i < len(s) && (s[i] == 'x' || s[i] == 'X') && i-start <= 2 {
		// strtod reads hexadecimal too: "0x1A" is 26.
		j := i + 1
		for j < len(s) && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
			j++
		}
		if j > i+1 {
			u, _ := strconv.ParseUint(s[i+1:j], 16, 64)
			n := float64(u)
			if s[start] == '-' {
				n = -n
			}
			return n, j
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	n, err := strconv.ParseFloat(s[start:i], 64)
	if err != nil && n == 0 {
		return 0, 0
	}
	return n, i
}

func (r *awkRun) num(v awkVal) float64 {
	switch v.kind {
	case avNum, avStrnum:
		return v.n
	case avStr:
		n, _ := awkStrtod(v.s)
		return n
	}
	return 0
}

func (r *awkRun) str(v awkVal) string {
	if v.kind == avNum {
		return r.numStr(v.n, r.convfmt())
	}
	return v.s
}

// outStr converts for output, with OFMT.
func (r *awkRun) outStr(v awkVal) string {
	if v.kind == avNum {
		return r.numStr(v.n, r.str(r.globals[awkOFMT].v))
	}
	return v.s
}

func (r *awkRun) convfmt() string { return r.str(r.globals[awkCONVFMT].v) }

// numStr converts a number: integers that fit mawk's int print as such,
// others through the format.
func (r *awkRun) numStr(n float64, format string) string {
	if n == math.Trunc(n) && n >= -2147483647 && n <= 2147483647 {
		return strconv.Itoa(int(n))
	}
	if math.IsInf(n, 0) || math.IsNaN(n) {
		return awkSpecial(n)
	}
	s, _ := r.sprintf(format, []awkVal{awkNum(n)})
	return s
}

// awkSpecial spells infinities and NaN as glibc's printf does.
func awkSpecial(n float64) string {
	switch {
	case math.IsNaN(n):
		// glibc's default NaN (0/0, log(-1), fmod(x, 0)) has its sign bit set.
		return "-nan"
	case n > 0:
		return "inf"
	}
	return "-inf"
}

// compare compares two values by awk's rules: numerically when both are
// numbers or strnums, as strings otherwise.
func (r *awkRun) compare(a, b awkVal) int {
	if a.isNum() && b.isNum() {
		x, y := r.num(a), r.num(b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(r.str(a), r.str(b))
}

func (r *awkRun) truth(v awkVal) bool {
	switch v.kind {
	case avNum:
		return v.n != 0
	case avStr:
		return v.s != ""
	case avStrnum:
		return v.n != 0
	}
	return false
}

// sprintf formats as awk's printf: the C conversions c d i o x X u e E f
// F g G s and %%, with flags, width and precision (also as *).
func (r *awkRun) sprintf(format string, args []awkVal) (string, error) {
	var b strings.Builder
	next := 0
	arg := func() (awkVal, error) {
		if next >= len(args) {
			return awkVal{}, fmt.Errorf("not enough arguments passed to %s(\"%s\")", r.fmtFunc, format)
		}
		next++
		return args[next-1], nil
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("-+ #0", format[j]) >= 0 {
			j++
		}
		spec := format[i:j]
		for k := 0; k < 2; k++ {
			if j < len(format) && format[j] == '*' {
				v, err := arg()
				if err != nil {
					return b.String(), err
				}
				n := r.num(v)
				if n > 1<<24 || n < -(1<<24) {
					// mawk would write (or build) gigabytes: the lab's
					// memory or output limit stops it first.
					panic(killedPanic{sig: SIGKILL})
				}
				spec += strconv.Itoa(int(n))
				j++
			} else {
				s := j
				for j < len(format) && format[j] >= '0' && format[j] <= '9' {
					j++
				}
				if j-s > 7 {
					panic(killedPanic{sig: SIGKILL})
				}
				spec += format[s:j]
			}
			if k == 0 {
				if j < len(format) && format[j] == '.' {
					spec += "."
					j++
				} else {
					break
				}
			}
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		verb := format[j]
		i = j
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if strings.IndexByte("cdiouxXeEfFgGs", verb) < 0 {
			return b.String(), fmt.Errorf("improper conversion(number %d) in %s(\"%s\")", next+1, r.fmtFunc, format)
			// character in %s(\"%s\")", r.fmtFunc, format)
		}
		v, err := arg()
		if err != nil {
			return b.String(), err
		}
		switch verb {
		case 'c':
			s := ""
			if v.kind == avNum {
				s = string([]byte{byte(int(v.n))})
			} else if str := r.str(v); str != "" {
				s = str[:1]
			}
			b.WriteString(fmt.Sprintf(strings.Replace(spec, "0", "", -1)+"s", s))
		case 's':
			b.WriteString(fmt.Sprintf(spec+"s", r.str(v)))
		case 'd', 'i', 'u':
			n := r.num(v)
			if math.IsInf(n, 0) || math.IsNaN(n) {
				b.WriteString(fmt.Sprintf(awkNoPrec(spec)+"s", awkSpecial(n)))
				continue
			}
			b.WriteString(awkCInt(spec, awkClamp(n)))
		case 'o', 'x', 'X':
			b.WriteString(awkCInt(spec+string(verb), awkClamp(r.num(v))))
		default:
			n := r.num(v)
			if math.IsInf(n, 0) || math.IsNaN(n) {
				b.WriteString(fmt.Sprintf(awkNoPrec(spec)+"s", awkSpecial(n)))
				continue
			}
			if verb == 'F' {
				verb = 'f'
			}
			if !strings.Contains(spec, ".") {
				spec += ".6"
			}
			if (verb == 'g' || verb == 'G') && strings.HasSuffix(spec, ".0") {
				spec = strings.TrimSuffix(spec, "0") + "1"
			}
			b.WriteString(fmt.Sprintf(spec+string(verb), n))
		}
	}
	return b.String(), nil
}

func awkNoPrec(spec string) string {
	if i := strings.IndexByte(spec, '.'); i >= 0 {
		return strings.Replace(spec[:i], "0", "", -1)
	}
	return strings.Replace(spec, "0", "", -1)
}

// awkCInt formats an integer as C's %d/%o/%x with a precision, which Go's
// fmt reads differently: precision is the least number of digits and
// turns off the 0 flag.
func awkCInt(spec string, n int64) string {
	verb := byte('d')
	if c := spec[len(spec)-1]; c == 'o' || c == 'x' || c == 'X' {
		verb = c
		spec = spec[:len(spec)-1]
	}
	flags := ""
	i := 1
	for i < len(spec) && strings.IndexByte("-+ #0", spec[i]) >= 0 {
		flags += spec[i : i+1]
		i++
	}
	width, prec := spec[i:], ""
	if k := strings.IndexByte(width, '.'); k >= 0 {
		width, prec = width[:k], width[k+1:]
		flags = strings.Replace(flags, "0", "", -1)
	}
	var digits string
	neg := n < 0
	switch verb {
	case 'd':
		if neg {
			digits = strconv.FormatUint(uint64(-n), 10)
		} else {
			digits = strconv.FormatInt(n, 10)
		}
	case 'o':
		digits, neg = strconv.FormatUint(uint64(n), 8), false
	default:
		digits, neg = strconv.FormatUint(uint64(n), 16), false
		if verb == 'X' {
			digits = strings.ToUpper(digits)
		}
	}
	if prec != "" {
		p, _ := strconv.Atoi(prec)
		if p == 0 && n == 0 {
			digits = ""
		}
		for len(digits) < p {
			digits = "0" + digits
		}
	}
	prefix := ""
	switch {
	case neg:
		prefix = "-"
	case verb == 'd' && strings.Contains(flags, "+"):
		prefix = "+"
	case verb == 'd' && strings.Contains(flags, " "):
		prefix = " "
	}
	if strings.Contains(flags, "#") && n != 0 {
		switch verb {
		case 'o':
			if !strings.HasPrefix(digits, "0") {
				digits = "0" + digits
			}
		case 'x':
			prefix += "0x"
		case 'X':
			prefix += "0X"
		}
	}
	w, _ := strconv.Atoi(width)
	pad := w - len(prefix) - len(digits)
	switch {
	case pad <= 0:
		return prefix + digits
	case strings.Contains(flags, "-"):
		return prefix + digits + strings.Repeat(" ", pad)
	case strings.Contains(flags, "0"):
		return prefix + strings.Repeat("0", pad) + digits
	}
	return strings.Repeat(" ", pad) + prefix + digits
}

// awkClamp converts to an integer as mawk does for %d: clamped to its
// int range.
func awkClamp(n float64) int64 {
	switch {
	case n >= 2147483647:
		return 2147483647
	case n <= -2147483647:
		return -2147483647
	}
	return int64(n)
}
