package sim

import (
	"math"
	"strconv"
	"strings"
)

// seqOperand is a parsed number with the precision and width seq's
// scan_arg gives it for the default format.
type seqOperand struct {
	value     float64
	precision int // -1: none (hex, inf): the default format is then %g
	width     int
}

// seqScan reads an operand as coreutils 9.1's seq does (strtold).
func seqScan(p *Proc, arg string) (seqOperand, bool) {
	s := strings.TrimLeft(arg, " \t\n\v\f\r")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.Contains(s, "_") {
		p.Errorf("seq: invalid floating point argument: ‘%s’\nTry 'seq --help' for more information.\n", arg)
		return seqOperand{}, false
	}
	if math.IsNaN(v) {
		p.Errorf("seq: invalid ‘not-a-number’ argument: ‘%s’\nTry 'seq --help' for more information.\n", arg)
		return seqOperand{}, false
	}
	s = strings.TrimLeft(s, "+")
	op := seqOperand{value: v, precision: -1}
	dot := strings.IndexByte(s, '.')
	if dot < 0 && !strings.ContainsAny(s, "pP") {
		op.precision = 0
	}
	if !strings.ContainsAny(s, "xX") && !math.IsInf(v, 0) {
		op.width = len(s)
		if dot >= 0 {
			frac := strings.IndexAny(s[dot+1:], "eE")
			if frac < 0 {
				frac = len(s) - dot - 1
			}
			op.precision = frac
			switch {
			case frac == 0:
				op.width--
			case dot == 0 || !isDigit(s[dot-1]):
				op.width++
			}
		}
		if e := strings.IndexAny(s, "eE"); e >= 0 {
			exp, _ := strconv.Atoi(strings.TrimPrefix(s[e+1:], "+"))
			if exp < 0 {
				op.precision += -exp
				op.width += -exp
			} else {
				op.width += exp - min(op.precision, exp)
				op.precision -= min(op.precision, exp)
			}
			op.width -= len(s) - e
		}
	}
	return op, true
}

// seqFormat checks a -f FORMAT as seq does and returns it for Go's fmt:
// one floating point directive (aside from %%) with C's flags.
func seqFormat(format string) (string, string) {
	var b strings.Builder
	found := false
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			b.WriteString("%%")
			i++
			continue
		}
		if found {
			return "", "format ‘" + format + "’ has too many % directives"
		}
		found = true
		j := i + 1
		for j < len(format) && strings.IndexByte("-+ #0'", format[j]) >= 0 {
			j++
		}
		for j < len(format) && isDigit(format[j]) {
			j++
		}
		hasPrec := false
		if j < len(format) && format[j] == '.' {
			hasPrec = true
			j++
			for j < len(format) && isDigit(format[j]) {
				j++
			}
		}
		if j >= len(format) {
			return "", "format ‘" + format + "’ ends in %"
		}
		conv := format[j]
		if strings.IndexByte("aAeEfFgG", conv) < 0 {
			return "", "format ‘" + format + "’ has unknown %" + string(conv) + " directive"
		}
		spec := strings.ReplaceAll(format[i:j], "'", "")
		if (conv == 'g' || conv == 'G') && !hasPrec {
			spec += ".6" // C's default; Go's %g would be shortest
		}
		if conv == 'a' || conv == 'A' {
			// Go's fmt has no %a: the directive becomes %s of seqHexFloat's
			// result, marked for seqSprintf.
			b.WriteString("\x00" + spec + string(conv) + "\x00")
		} else {
			b.WriteString(spec + string(conv))
		}
		i = j
	}
	if !found {
		return "", "format ‘" + format + "’ has no % directive"
	}
	return b.String(), ""
}

// seqProgram is coreutils 9.1's seq: FIRST, INCREMENT, LAST as floating
// point numbers, -f FORMAT, -s STRING, -w.
func seqProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'f': 1, 's': 1, 'w': 0},
		long:  map[string]longOpt{"format": {'f', 1}, "separator": {'s', 1}, "equal-width": {'w', 0}},
	}
	// seq stops reading options at its first operand, and at a negative
	// number where an option could be.
	args := p.Args[1:]
	cut := 0
	for cut < len(args) {
		a := args[cut]
		if len(a) < 2 || a[0] != '-' || a[1] == '.' || isDigit(a[1]) {
			break
		}
		if a == "--" {
			cut++
			break
		}
		cut++
		if strings.HasPrefix(a, "--") {
			name, _, has := strings.Cut(a[2:], "=")
			if !has && name != "" && !strings.HasPrefix("equal-width", name) && cut < len(args) {
				cut++
			}
			continue
		}
		for j := 1; j < len(a); j++ {
			if a[j] == 'f' || a[j] == 's' {
				if j == len(a)-1 && cut < len(args) {
					cut++
				}
				break
			}
		}
	}
	opts, operands, msg := getoptLong(spec, args[:cut], true)
	if msg != "" {
		return usageError(p, "seq", msg)
	}
	operands = append(operands, args[cut:]...)
	format, sep, equal := "", "\n", false
	for _, o := range opts {
		switch o.code {
		case 'f':
			format = o.value
		case 's':
			sep = o.value
		case 'w':
			equal = true
		}
	}
	switch {
	case len(operands) == 0:
		return usageError(p, "seq", "missing operand")
	case len(operands) > 3:
		return usageError(p, "seq", "extra operand ‘"+operands[3]+"’")
	}
	goFormat := ""
	if format != "" {
		f, msg := seqFormat(format)
		if msg != "" {
			p.Errorf("seq: %s\n", msg)
			return 1
		}
		goFormat = f
	}
	var ops []seqOperand
	for _, a := range operands {
		op, ok := seqScan(p, a)
		if !ok {
			return 1
		}
		ops = append(ops, op)
	}
	first, step, last := seqOperand{value: 1, width: 1}, seqOperand{value: 1, width: 1}, ops[len(ops)-1]
	switch len(ops) {
	case 2:
		first = ops[0]
	case 3:
		first, step = ops[0], ops[1]
		if step.value == 0 {
			p.Errorf("seq: invalid Zero increment value: ‘%s’\nTry 'seq --help' for more information.\n", operands[1])
			return 1
		}
	}
	if format != "" && equal {
		return usageError(p, "seq", "format string may not be specified when printing equal width strings")
	}
	if goFormat == "" {
		goFormat = seqDefaultFormat(first, step, last, equal)
	}
	var out strings.Builder
	outOfRange := step.value < 0 && first.value < last.value || step.value > 0 && last.value < first.value
	if !outOfRange {
		x := first.value
		for i := 1; ; i++ {
			x0 := x
			out.WriteString(seqSprintf(goFormat, x))
			if outOfRange || out.Len() > 1<<20 {
				break
			}
			x = first.value + float64(i)*step.value
			outOfRange = step.value < 0 && x < last.value || step.value > 0 && last.value < x
			if outOfRange {
				// A number just past LAST that prints as LAST (rounding)
				// is printed, as seq does.
				s := seqSprintf(goFormat, x)
				if s != seqSprintf(goFormat, last.value) || s == seqSprintf(goFormat, x0) {
					break
				}
			}
			out.WriteString(sep)
		}
		out.WriteString("\n")
	}
	p.Stdout().Write([]byte(out.String()))
	return 0
}

// seqDefaultFormat is get_default_format: fixed point with the
// operands' precision, zero-padded to a common width with -w.
func seqDefaultFormat(first, step, last seqOperand, equal bool) string {
	prec := max(first.precision, step.precision)
	if first.precision < 0 || step.precision < 0 || last.precision < 0 {
		return "%.6g"
	}
	if !equal {
		return "%." + itoa(prec) + "f"
	}
	firstWidth := first.width + (prec - first.precision)
	lastWidth := last.width + (prec - last.precision)
	if last.precision != 0 && prec == 0 {
		lastWidth--
	}
	if last.precision == 0 && prec != 0 {
		lastWidth++
	}
	if first.precision == 0 && prec != 0 {
		firstWidth++
	}
	return "%0" + itoa(max(firstWidth, lastWidth)) + "." + itoa(prec) + "f"
}

// seqSprintf formats x with a checked format, doing a %a directive
// (marked by seqFormat) as glibc does for a long double.
func seqSprintf(format string, x float64) string {
	before, rest, ok := strings.Cut(format, "\x00")
	if !ok {
		return sprintf(format, x)
	}
	directive, after, _ := strings.Cut(rest, "\x00")
	return strings.ReplaceAll(before, "%%", "%") + seqHexFloat(directive, x) + strings.ReplaceAll(after, "%%", "%")
}

// seqHexFloat is glibc's %La for an x86 long double: a leading hex digit
// of 8 to f ("0x8p-3" for 1), trailing zeros dropped, with C's flags,
// width and precision.
func seqHexFloat(directive string, x float64) string {
	upper := directive[len(directive)-1] == 'A'
	spec := directive[1 : len(directive)-1]
	var left, zero, plus, space, alt bool
	for len(spec) > 0 && strings.IndexByte("-0+ #", spec[0]) >= 0 {
		switch spec[0] {
		case '-':
			left = true
		case '0':
			zero = true
		case '+':
			plus = true
		case ' ':
			space = true
		case '#':
			alt = true
		}
		spec = spec[1:]
	}
	widthText, precText, hasPrec := strings.Cut(spec, ".")
	width, _ := strconv.Atoi(widthText)
	prec, _ := strconv.Atoi(precText)
	sign := ""
	switch {
	case math.Signbit(x):
		sign, x = "-", -x
	case plus:
		sign = "+"
	case space:
		sign = " "
	}
	var body string
	switch {
	case math.IsInf(x, 0):
		body = "inf"
	case math.IsNaN(x):
		body = "nan"
	default:
		lead, digits, exp := uint64(0), "", 0
		if x != 0 {
			frac, e := math.Frexp(x)         // x = frac * 2^e, frac in [0.5, 1)
			bits := uint64(frac * (1 << 53)) // 53 significant bits
			lead = bits >> 49                // 4 bits: 8 to f
			rest := bits & (1<<49 - 1) << 3  // 52 bits: 13 hex digits
			digits = strings.TrimRight(sprintf("%013x", rest), "0")
			exp = e - 4
			if hasPrec && prec < len(digits) {
				// Round to nearest, ties to even, on the dropped digits.
				v, _ := strconv.ParseUint(sprintf("%x", lead)+digits, 16, 64)
				drop := uint(4 * (len(digits) - prec))
				half := uint64(1) << (drop - 1)
				low := v & (1<<drop - 1)
				v >>= drop
				if low > half || low == half && v&1 == 1 {
					v++
				}
				if v>>(4*prec) >= 16 {
					// 0x10.00p+E is 0x1.00p+(E+4).
					v >>= 4
					exp += 4
				}
				full := sprintf("%x", v)
				lead, _ = strconv.ParseUint(full[:1], 16, 64)
				digits = full[1:]
			}
		} else {
			exp = 0
		}
		if hasPrec && prec > len(digits) {
			digits += strings.Repeat("0", prec-len(digits))
		}
		point := ""
		if digits != "" || alt {
			point = "."
		}
		expSign := "+"
		if exp < 0 {
			expSign, exp = "-", -exp
		}
		body = "0x" + sprintf("%x", lead) + point + digits + "p" + expSign + itoa(exp)
		if upper {
			body = strings.ToUpper(body)
		}
	}
	pad := width - len(sign) - len(body)
	switch {
	case pad <= 0:
		return sign + body
	case left:
		return sign + body + strings.Repeat(" ", pad)
	case zero && !math.IsInf(x, 0) && !math.IsNaN(x):
		return sign + body[:2] + strings.Repeat("0", pad) + body[2:]
	}
	return strings.Repeat(" ", pad) + sign + body
}
