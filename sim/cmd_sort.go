package sim

import (
	"io"
	"sort"
	"strings"
)

// sortSpec holds the options of coreutils 9.1's sort that this one
// implements; the others (-g -h -M -R -V -S -T -m and friends) are left
// out, so getopt refuses them.
var sortSpec = optSpec{
	short: map[byte]int{
		'b': 0, 'd': 0, 'f': 0, 'i': 0, 'n': 0, 'r': 0, 'u': 0, 's': 0,
		'c': 0, 'C': 0, 'z': 0, 't': 1, 'k': 1, 'o': 1,
	},
	long: map[string]longOpt{
		"ignore-leading-blanks": {'b', 0}, "dictionary-order": {'d', 0},
		"ignore-case": {'f', 0}, "ignore-nonprinting": {'i', 0},
		"numeric-sort": {'n', 0}, "reverse": {'r', 0}, "unique": {'u', 0},
		"stable": {'s', 0}, "check": {'c', 2}, "zero-terminated": {'z', 0},
		"field-separator": {'t', 1}, "key": {'k', 1}, "output": {'o', 1},
	},
}

// sortKey is one -k key, or the global options as the whole line's key.
type sortKey struct {
	sword, schar, eword, echar    int // eword -1: to the end of the line
	skipsBlanks, skipeBlanks      bool
	dict, fold, nonprint, numeric bool
	reverse                       bool
}

func (k *sortKey) plain() bool {
	return !k.skipsBlanks && !k.skipeBlanks && !k.dict && !k.fold && !k.nonprint && !k.numeric
}

// sortOrdering reads a key's ordering letters, as set_ordering does.
func sortOrdering(s string, k *sortKey, end bool) string {
	for len(s) > 0 {
		switch s[0] {
		case 'b':
			if end {
				k.skipeBlanks = true
			} else {
				k.skipsBlanks = true
			}
		case 'd':
			k.dict = true
		case 'f':
			k.fold = true
		case 'i':
			k.nonprint = true
		case 'n':
			k.numeric = true
		case 'r':
			k.reverse = true
		default:
			return s
		}
		s = s[1:]
	}
	return s
}

// sortNumber reads the decimal number that starts s, as parse_field_count.
func sortNumber(s string) (int, string, bool) {
	i := 0
	n := 0
	for i < len(s) && isDigit(s[i]) {
		n = min(n*10+int(s[i]-'0'), 1<<40)
		i++
	}
	return n, s[i:], i > 0
}

// sortParseKey reads -k POS1[,POS2] as coreutils' sort does.
func sortParseKey(arg string) (sortKey, string) {
	bad := func(why string) (sortKey, string) {
		return sortKey{}, why + ": invalid field specification ‘" + arg + "’"
	}
	var k sortKey
	badCount := func(why, rest string) (sortKey, string) {
		return sortKey{}, why + ": invalid count at start of ‘" + rest + "’"
	}
	n, s, ok := sortNumber(arg)
	if !ok {
		return badCount("invalid number at field start", arg)
	}
	if n == 0 {
		return bad("field number is zero")
	}
	k.sword = n - 1
	if strings.HasPrefix(s, ".") {
		rest := s[1:]
		n, s, ok = sortNumber(rest)
		if !ok {
			return badCount("invalid number after '.'", rest)
		}
		if n == 0 {
			return bad("character offset is zero")
		}
		k.schar = n - 1
	}
	s = sortOrdering(s, &k, false)
	if strings.HasPrefix(s, ",") {
		rest := s[1:]
		n, s, ok = sortNumber(rest)
		if !ok {
			return badCount("invalid number after ','", rest)
		}
		if n == 0 {
			return bad("field number is zero")
		}
		k.eword = n - 1
		if strings.HasPrefix(s, ".") {
			rest := s[1:]
			n, s, ok = sortNumber(rest)
			if !ok {
				return badCount("invalid number after '.'", rest)
			}
			k.echar = n
		}
		s = sortOrdering(s, &k, true)
	} else {
		k.eword = -1
	}
	if s != "" {
		return bad("stray character in field spec")
	}
	return k, ""
}

func sortBlank(c byte) bool { return c == ' ' || c == '\t' }

// sortField returns the part of line a key covers (begfield, limfield).
func sortField(line string, k *sortKey, tab int) string {
	lim := len(line)
	ptr := 0
	for w := k.sword; ptr < lim && w > 0; w-- {
		if tab >= 0 {
			for ptr < lim && int(line[ptr]) != tab {
				ptr++
			}
			if ptr < lim {
				ptr++
			}
		} else {
			for ptr < lim && sortBlank(line[ptr]) {
				ptr++
			}
			for ptr < lim && !sortBlank(line[ptr]) {
				ptr++
			}
		}
	}
	if k.skipsBlanks {
		for ptr < lim && sortBlank(line[ptr]) {
			ptr++
		}
	}
	beg := min(lim, ptr+k.schar)
	end := lim
	if k.eword >= 0 {
		ptr = 0
		eword := k.eword
		if k.echar == 0 {
			eword++
		}
		for ; ptr < lim && eword > 0; eword-- {
			if tab >= 0 {
				for ptr < lim && int(line[ptr]) != tab {
					ptr++
				}
				if ptr < lim && (eword > 1 || k.echar != 0) {
					ptr++
				}
			} else {
				for ptr < lim && sortBlank(line[ptr]) {
					ptr++
				}
				for ptr < lim && !sortBlank(line[ptr]) {
					ptr++
				}
			}
		}
		if k.echar != 0 {
			if k.skipeBlanks {
				for ptr < lim && sortBlank(line[ptr]) {
					ptr++
				}
			}
			ptr = min(lim, ptr+k.echar)
		}
		end = ptr
	}
	if end < beg {
		end = beg
	}
	return line[beg:end]
}

// sortNumCompare compares the numbers that start a and b, as numcompare
// does in the C locale: blanks, a '-', digits, a '.' and digits; no
// number is zero.
func sortNumCompare(a, b string) int {
	parse := func(s string) (bool, string, string) {
		s = strings.TrimLeft(s, " \t")
		neg := strings.HasPrefix(s, "-")
		if neg {
			s = s[1:]
		}
		i := 0
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		intPart := strings.TrimLeft(s[:i], "0")
		frac := ""
		if i < len(s) && s[i] == '.' {
			j := i + 1
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			frac = strings.TrimRight(s[i+1:j], "0")
		}
		if intPart == "" && frac == "" {
			neg = false
		}
		return neg, intPart, frac
	}
	na, ia, fa := parse(a)
	nb, ib, fb := parse(b)
	if na != nb {
		if na {
			return -1
		}
		return 1
	}
	c := 0
	switch {
	case len(ia) != len(ib):
		c = len(ia) - len(ib)
	case ia != ib:
		c = strings.Compare(ia, ib)
	default:
		c = strings.Compare(fa, fb)
	}
	if na {
		c = -c
	}
	return c
}

// sortTextCompare compares two keys with -d, -i and -f applied.
func sortTextCompare(a, b string, k *sortKey) int {
	if !k.dict && !k.nonprint && !k.fold {
		return strings.Compare(a, b)
	}
	keep := func(c byte) bool {
		if k.dict {
			return sortBlank(c) || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
		}
		if k.nonprint {
			return c >= 0x20 && c < 0x7f
		}
		return true
	}
	tr := func(c byte) byte {
		if k.fold && c >= 'a' && c <= 'z' {
			return c - 0x20
		}
		return c
	}
	i, j := 0, 0
	for {
		for i < len(a) && !keep(a[i]) {
			i++
		}
		for j < len(b) && !keep(b[j]) {
			j++
		}
		if i >= len(a) || j >= len(b) {
			break
		}
		if ca, cb := tr(a[i]), tr(b[j]); ca != cb {
			return int(ca) - int(cb)
		}
		i++
		j++
	}
	return btoi(i < len(a)) - btoi(j < len(b))
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sortProgram is coreutils 9.1's sort in the C.UTF-8 locale (byte order).
func sortProgram(p *Proc) int {
	opts, files, msg := getoptLong(sortSpec, p.Args[1:], false)
	if msg != "" {
		p.Errorf("sort: %s\nTry 'sort --help' for more information.\n", msg)
		return 2
	}
	var global sortKey
	global.eword = -1
	var keys []sortKey
	unique, stable, zero := false, false, false
	check, quiet := false, false
	tab := -1
	output, haveOutput := "", false
	for _, o := range opts {
		switch o.code {
		case 'b':
			global.skipsBlanks, global.skipeBlanks = true, true
		case 'd':
			global.dict = true
		case 'f':
			global.fold = true
		case 'i':
			global.nonprint = true
		case 'n':
			global.numeric = true
		case 'r':
			global.reverse = true
		case 'u':
			unique = true
		case 's':
			stable = true
		case 'z':
			zero = true
		case 'c', 'C':
			check, quiet = true, o.code == 'C'
			if o.hasVal {
				switch o.value {
				case "quiet", "silent":
					quiet = true
				case "diagnose-first":
					quiet = false
				default:
					p.Errorf("sort: invalid argument ‘%s’ for ‘--check’\nValid arguments are:\n  - ‘quiet’, ‘silent’\n  - ‘diagnose-first’\nTry 'sort --help' for more information.\n", o.value)
					return 1
				}
			}
		case 't':
			switch {
			case o.value == "":
				p.Errorf("sort: empty tab\n")
				return 2
			case len(o.value) > 1 && o.value != "\\0":
				p.Errorf("sort: multi-character tab ‘%s’\n", o.value)
				return 2
			case o.value == "\\0":
				tab = 0
			default:
				if tab >= 0 && tab != int(o.value[0]) {
					p.Errorf("sort: incompatible tabs\n")
					return 2
				}
				tab = int(o.value[0])
			}
		case 'k':
			k, msg := sortParseKey(o.value)
			if msg != "" {
				p.Errorf("sort: %s\n", msg)
				return 2
			}
			keys = append(keys, k)
		case 'o':
			if haveOutput && output != o.value {
				p.Errorf("sort: multiple output files specified\n")
				return 2
			}
			output, haveOutput = o.value, true
		}
	}
	// A key without ordering options takes the global ones.
	for i := range keys {
		if keys[i].plain() && !keys[i].reverse {
			k := &keys[i]
			k.skipsBlanks, k.skipeBlanks = global.skipsBlanks, global.skipeBlanks
			k.dict, k.fold, k.nonprint, k.numeric = global.dict, global.fold, global.nonprint, global.numeric
			k.reverse = global.reverse
		}
	}
	if len(keys) == 0 && !global.plain() {
		keys = []sortKey{global}
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	if check && len(files) > 1 {
		p.Errorf("sort: extra operand '%s' not allowed with -c\n", files[1])
		return 2
	}
	eol := "\n"
	if zero {
		eol = "\x00"
	}
	var lines []string
	for _, f := range files {
		var data []byte
		if f == "-" {
			data, _ = io.ReadAll(p.Stdin())
		} else {
			r, err := p.K.lookup(p.T, f, true)
			if err == nil && !r.node.isDir() {
				data, err = p.ReadFile(f)
			}
			if err != nil {
				p.Errorf("sort: cannot read: %s: %s\n", f, err.Error())
				return 2
			}
			if r.node.isDir() {
				p.Errorf("sort: read failed: %s: Is a directory\n", f)
				return 2
			}
		}
		text := string(data)
		if text == "" {
			continue
		}
		text = strings.TrimSuffix(text, eol)
		lines = append(lines, strings.Split(text, eol)...)
	}
	keyCompare := func(a, b string) int {
		for i := range keys {
			k := &keys[i]
			fa, fb := a, b
			if k.sword != 0 || k.schar != 0 || k.eword >= 0 || k.skipsBlanks {
				fa, fb = sortField(a, k, tab), sortField(b, k, tab)
			}
			var c int
			if k.numeric {
				c = sortNumCompare(fa, fb)
			} else {
				c = sortTextCompare(fa, fb, k)
			}
			if c != 0 {
				if k.reverse {
					return -c
				}
				return c
			}
		}
		return 0
	}
	compare := func(a, b string) int {
		if len(keys) > 0 {
			if c := keyCompare(a, b); c != 0 || unique || stable {
				return c
			}
		}
		c := strings.Compare(a, b)
		if global.reverse {
			return -c
		}
		return c
	}
	if check {
		name := files[0]
		for i := 1; i < len(lines); i++ {
			c := compare(lines[i-1], lines[i])
			if c > 0 || (unique && c == 0) {
				if !quiet {
					p.Errorf("sort: %s:%d: disorder: %s\n", name, i+1, lines[i])
				}
				return 1
			}
		}
		return 0
	}
	sort.SliceStable(lines, func(i, j int) bool { return compare(lines[i], lines[j]) < 0 })
	var out strings.Builder
	for i, l := range lines {
		if unique && i > 0 && compare(lines[i-1], l) == 0 {
			continue
		}
		out.WriteString(l + eol)
	}
	if haveOutput {
		if err := p.WriteFile(output, []byte(out.String())); err != nil {
			p.Errorf("sort: open failed: %s: %s\n", output, err.Error())
			return 2
		}
		return 0
	}
	p.Stdout().Write([]byte(out.String()))
	return 0
}
