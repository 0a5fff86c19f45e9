package sim

import (
	"errors"
	"io"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
)

// grepLongOrder is GNU grep 3.8's long option table in its own order:
// glibc lists an ambiguous abbreviation's possibilities in this order,
// including options this grep does not implement (those are then
// refused as unrecognized rather than silently taken).
var grepLongOrder = []string{
	"basic-regexp", "extended-regexp", "fixed-regexp", "fixed-strings",
	"perl-regexp", "after-context", "before-context", "binary-files",
	"byte-offset", "context", "color", "colour", "count", "devices",
	"directories", "dereference-recursive", "exclude", "exclude-from",
	"exclude-dir", "file", "files-with-matches", "files-without-match",
	"group-separator", "help", "include", "ignore-case", "no-ignore-case",
	"initial-tab", "label", "line-buffered", "line-number", "line-regexp",
	"max-count", "no-filename", "no-group-separator", "no-messages",
	"null", "null-data", "only-matching", "quiet", "recursive",
	"regexp", "invert-match", "silent", "text", "binary",
	"unix-byte-offsets", "version", "with-filename", "word-regexp",
}

// grepSpec holds the options this grep implements.
var grepSpec = optSpec{
	short: map[byte]int{
		'e': 1, 'f': 1, 'E': 0, 'F': 0, 'G': 0, 'i': 0, 'v': 0, 'c': 0,
		'l': 0, 'L': 0, 'n': 0, 'o': 0, 'q': 0, 's': 0, 'w': 0, 'x': 0,
		'h': 0, 'H': 0, 'm': 1, 'A': 1, 'B': 1, 'C': 1,
		'0': 0, '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, '6': 0, '7': 0, '8': 0, '9': 0,
	},
	long: map[string]longOpt{
		"regexp": {'e', 1}, "file": {'f', 1}, "extended-regexp": {'E', 0},
		"fixed-strings": {'F', 0}, "fixed-regexp": {'F', 0}, "basic-regexp": {'G', 0},
		"ignore-case": {'i', 0}, "invert-match": {'v', 0}, "count": {'c', 0},
		"files-with-matches": {'l', 0}, "files-without-match": {'L', 0},
		"line-number": {'n', 0}, "only-matching": {'o', 0}, "quiet": {'q', 0},
		"silent": {'q', 0}, "no-messages": {'s', 0}, "word-regexp": {'w', 0},
		"line-regexp": {'x', 0}, "no-filename": {'h', 0}, "with-filename": {'H', 0},
		"max-count": {'m', 1}, "after-context": {'A', 1}, "before-context": {'B', 1},
		"context": {'C', 1},
	},
}

// grepLongNames writes out each abbreviated long option in full, or
// returns glibc's complaint for one that abbreviates several of grep's
// real options of different meanings: getoptLong sees only grepSpec, so
// it would take "--in" for --invert-match and call "--fixed-" (both
// spellings of -F) ambiguous.
func grepLongNames(args []string) ([]string, string) {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		out = append(out, a)
		if a == "--" {
			return append(out, args[i+1:]...), ""
		}
		if !strings.HasPrefix(a, "--") {
			// Skip the value of a short option that takes one.
			if len(a) > 1 && a[0] == '-' {
				for j := 1; j < len(a); j++ {
					if grepSpec.short[a[j]] == 1 {
						if j == len(a)-1 && i+1 < len(args) {
							i++
							out = append(out, args[i])
						}
						break
					}
				}
			}
			continue
		}
		name, val, hasVal := strings.Cut(a[2:], "=")
		var matches []string
		for _, n := range grepLongOrder {
			if n == name {
				matches = []string{n}
				break
			}
			if strings.HasPrefix(n, name) {
				matches = append(matches, n)
			}
		}
		if len(matches) == 0 {
			continue // getoptLong refuses it
		}
		first, ok := grepSpec.long[matches[0]]
		same := ok
		for _, m := range matches[1:] {
			lo, ok := grepSpec.long[m]
			same = same && ok && lo == first
		}
		if !same && len(matches) > 1 {
			return nil, "option '" + a + "' is ambiguous; possibilities: '--" + strings.Join(matches, "' '--") + "'"
		}
		if !ok {
			continue // a real option not implemented: getoptLong refuses it
		}
		full := "--" + matches[0]
		if hasVal {
			full += "=" + val
		}
		out[len(out)-1] = full
		if first.arg == 1 && !hasVal && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return out, ""
}

// grepUsage prints grep's complaint about its command line and returns 2.
func grepUsage(p *Proc, msg string) int {
	if msg != "" {
		p.Errorf("grep: %s\n", msg)
	}
	p.Errorf("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n")
	return 2
}

// grepConfig is grep's parsed command line.
type grepConfig struct {
	invert, count, quiet, noMsgs, onlyMatch bool
	listMatch, listNoMatch, lineNum         bool
	withName, noName                        bool
	maxCount                                int // -1: no limit
	after, before                           int
	re                                      *regexp.Regexp
}

// grepProgram is GNU grep 3.8 with the options people use; the others
// are refused as grep refuses an unknown option.
func grepProgram(p *Proc) int {
	args, msg := grepLongNames(p.Args[1:])
	if msg != "" {
		return grepUsage(p, msg)
	}
	opts, operands, msg := getoptLong(grepSpec, args, false)
	if msg != "" {
		return grepUsage(p, msg)
	}
	cfg := grepConfig{maxCount: -1}
	mode := byte('G')
	if p.Args[0] == "egrep" {
		mode = 'E'
	}
	var patterns []string
	havePatterns := false
	var ignoreCase, word, line bool
	digits, lastDigit := -1, false
	for _, o := range opts {
		isDigit := o.code >= '0' && o.code <= '9'
		if isDigit {
			// -NUM is -C NUM; grep accumulates adjacent digits.
			if !lastDigit {
				digits = 0
			}
			digits = digits*10 + int(o.code-'0')
			cfg.after, cfg.before = digits, digits
		}
		lastDigit = isDigit
		switch o.code {
		case 'e':
			patterns = append(patterns, strings.Split(o.value, "\n")...)
			havePatterns = true
		case 'f':
			data, err := p.ReadFile(o.value)
			if err != nil {
				p.Errorf("grep: %s: %s\n", o.value, err.Error())
				return 2
			}
			text := strings.TrimSuffix(string(data), "\n")
			if len(data) > 0 {
				patterns = append(patterns, strings.Split(text, "\n")...)
			}
			havePatterns = true
		case 'E', 'F', 'G':
			mode = o.code
		case 'i':
			ignoreCase = true
		case 'v':
			cfg.invert = true
		case 'c':
			cfg.count = true
		case 'l':
			cfg.listMatch, cfg.listNoMatch = true, false
		case 'L':
			cfg.listNoMatch, cfg.listMatch = true, false
		case 'n':
			cfg.lineNum = true
		case 'o':
			cfg.onlyMatch = true
		case 'q':
			cfg.quiet = true
		case 's':
			cfg.noMsgs = true
		case 'w':
			word = true
		case 'x':
			line = true
		case 'h':
			cfg.noName, cfg.withName = true, false
		case 'H':
			cfg.withName, cfg.noName = true, false
		case 'm':
			n, err := strconv.ParseInt(o.value, 10, 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				p.Errorf("grep: invalid max count\n")
				return 2
			}
			if n < 0 || n > 1<<31 {
				n = 1 << 31
			}
			cfg.maxCount = int(n)
		case 'A', 'B', 'C':
			n, err := strconv.ParseInt(o.value, 10, 64)
			if (err != nil && !errors.Is(err, strconv.ErrRange)) || n < 0 || strings.HasPrefix(o.value, "+") {
				p.Errorf("grep: %s: invalid context length argument\n", o.value)
				return 2
			}
			if n > 1<<31 {
				n = 1 << 31
			}
			if o.code != 'B' {
				cfg.after = int(n)
			}
			if o.code != 'A' {
				cfg.before = int(n)
			}
		}
	}
	if !havePatterns {
		if len(operands) == 0 {
			return grepUsage(p, "")
		}
		patterns = strings.Split(operands[0], "\n")
		operands = operands[1:]
	}
	re, msg := grepCompile(patterns, mode, ignoreCase, word, line)
	if msg != "" {
		p.Errorf("grep: %s\n", msg)
		return 2
	}
	cfg.re = re
	if len(operands) > 1 && !cfg.noName {
		cfg.withName = true
	}
	if len(operands) == 0 {
		operands = []string{"-"}
	}
	return grepRun(p, &cfg, operands)
}

// grepCompile turns grep's patterns into one Go expression matching
// leftmost-longest, as POSIX matching does (it shows in -o).
func grepCompile(patterns []string, mode byte, ignoreCase, word, line bool) (*regexp.Regexp, string) {
	if len(patterns) == 0 {
		// No patterns (an empty -f file) match nothing.
		return regexp.MustCompile(`[^\x00-\x{10FFFF}]`), ""
	}
	alts := make([]string, len(patterns))
	for i, pat := range patterns {
		switch mode {
		case 'F':
			pat = regexp.QuoteMeta(pat)
		case 'G':
			pat = basicToExtended(pat)
		}
		alts[i] = "(?:" + pat + ")"
	}
	expr := strings.Join(alts, "|")
	switch {
	case line:
		expr = `^(?:` + expr + `)$`
	case word:
		expr = `\b(?:` + expr + `)\b`
	}
	if ignoreCase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		var serr *syntax.Error
		if errors.As(err, &serr) {
			switch serr.Code {
			case syntax.ErrMissingBracket:
				return nil, "Unmatched [, [^, [:, [., or [="
			case syntax.ErrUnexpectedParen:
				return nil, "Unmatched ) or \\)"
			}
		}
		return nil, "Unmatched ( or \\("
	}
	re.Longest()
	return re, ""
}

// grepRun searches each file and returns grep's exit status: 2 after an
// error, else 0 if a line was selected, else 1; -q returns 0 at the
// first selected line even after an error.
func grepRun(p *Proc, cfg *grepConfig, files []string) int {
	var out strings.Builder
	flush := func() {
		p.Stdout().Write([]byte(out.String()))
		out.Reset()
	}
	selected, failed := false, false
	context := (cfg.after > 0 || cfg.before > 0) && !cfg.count && !cfg.listMatch && !cfg.listNoMatch && !cfg.quiet
	printedGroup := false // something was printed, so a gap needs "--"
	for _, f := range files {
		var data []byte
		name := f
		if f == "-" {
			data, _ = io.ReadAll(p.Stdin())
			name = "(standard input)"
		} else {
			var err error
			data, err = p.ReadFile(f)
			if err != nil {
				if !cfg.noMsgs {
					p.Errorf("grep: %s: %s\n", f, err.Error())
				}
				failed = true
				continue
			}
		}
		lines := splitLines(string(data))
		n := 0
		last := -1 // index of the last line printed from this file
		afterLeft := 0
		emit := func(i int, sep string) {
			if context && printedGroup && last != i-1 {
				out.WriteString("--\n")
			}
			prefix := ""
			if cfg.withName {
				prefix = name + sep
			}
			if cfg.lineNum {
				prefix += itoa(i+1) + sep
			}
			if cfg.onlyMatch && sep == ":" {
				for _, m := range cfg.re.FindAllString(lines[i], -1) {
					if m != "" {
						out.WriteString(prefix + m + "\n")
					}
				}
			} else if !cfg.onlyMatch {
				out.WriteString(prefix + lines[i] + "\n")
			}
			last = i
			printedGroup = true
		}
		for i, ln := range lines {
			if cfg.maxCount >= 0 && n >= cfg.maxCount {
				// Stopped: only the trailing context of the last match.
				if afterLeft == 0 || !context {
					break
				}
				emit(i, "-")
				afterLeft--
				continue
			}
			if cfg.re.MatchString(ln) == cfg.invert {
				if context && afterLeft > 0 {
					emit(i, "-")
					afterLeft--
				}
				continue
			}
			n++
			selected = true
			if cfg.quiet {
				flush()
				return 0
			}
			if cfg.listMatch || cfg.listNoMatch {
				break
			}
			if cfg.count {
				continue
			}
			if context {
				for j := max(last+1, i-cfg.before); j < i; j++ {
					emit(j, "-")
				}
			}
			if cfg.onlyMatch && cfg.invert {
				last = i
				continue
			}
			emit(i, ":")
			afterLeft = cfg.after
		}
		switch {
		case cfg.quiet:
		case cfg.listMatch:
			if n > 0 {
				out.WriteString(name + "\n")
			}
		case cfg.listNoMatch:
			if n == 0 {
				out.WriteString(name + "\n")
			}
		case cfg.count:
			if cfg.withName {
				out.WriteString(name + ":")
			}
			out.WriteString(itoa(n) + "\n")
		}
		flush()
	}
	switch {
	case failed:
		return 2
	case selected:
		return 0
	}
	return 1
}
