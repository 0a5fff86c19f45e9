package sim

import "testing"

// TestAwkCompile checks the translation of POSIX extended regular
// expressions into Go's syntax: braces are literal in mawk 1.3.4 20200120,
// bracket classes and escapes keep their POSIX meaning, and matches are
// leftmost-longest.
func TestAwkCompile(t *testing.T) {
	for _, c := range []struct {
		re, s, want string
	}{
		{`a{2}`, "aa a{2}", "a{2}"},
		{`[[:space:]]+`, "a \t b", " \t "},
		{`[^[:alpha:]]`, "ab1", "1"},
		{`x|xy`, "xyz", "xy"},
		{`\.`, "a.b", "."},
		{`[\/]`, "a/b", "/"},
		{`a.b`, "a\nb", "a\nb"},
		{`[]a]+`, "]a]", "]a]"},
	} {
		re, err := awkCompile(c.re)
		if err != nil {
			t.Errorf("awkCompile(%q): %v", c.re, err)
			continue
		}
		if got := re.FindString(c.s); got != c.want {
			t.Errorf("/%s/ on %q matched %q, want %q", c.re, c.s, got, c.want)
		}
	}
}

// TestAwkStrtod checks the numeric prefix rules of awk's string to number
// conversion (strtod's, hexadecimal included) and which input is a strnum.
func TestAwkStrtod(t *testing.T) {
	for _, c := range []struct {
		s      string
		n      float64
		strnum bool
	}{
		{" 12 ", 12, true}, {"3.5e2x", 350, false}, {"0x1A", 26, true}, {"-.5", -0.5, true},
		{"abc", 0, false}, {"1e", 1, false}, {"", 0, false}, {"+", 0, false},
	} {
		n, _ := awkStrtod(c.s)
		v := awkInput(c.s)
		if n != c.n || (v.kind == avStrnum) != c.strnum {
			t.Errorf("%q: number %v strnum %v, want %v %v", c.s, n, v.kind == avStrnum, c.n, c.strnum)
		}
	}
}

// TestAwkSyntaxErrors checks mawk's wording of compile errors.
func TestAwkSyntaxErrors(t *testing.T) {
	for src, want := range map[string]string{
		"BEGIN { print ( }":               "line 1: missing ) near }",
		"{ print":                         "line 2: missing } near end of file",
		"BEGIN { x = }":                   "line 1: syntax error at or near }",
		"BEGIN { a = 1; a[1] = 2 }":       "line 1: illegal reference to variable a",
		"BEGIN { next }":                  "line 1: improper use of next",
		"BEGIN { break }":                 "line 1: break statement outside of loop",
		"BEGIN { print substr(1) }":       "line 1: wrong number of arguments in call to substr",
		"function f(a){} function f(b){}": "line 1: redefinition of f",
		"BEGIN { print \"abc }":           "line 1: runaway string constant \"abc } ...",
	} {
		_, err := parseAwk(src)
		if err == nil || err.msg != want {
			t.Errorf("%q: got %v, want %q", src, err, want)
		}
	}
}
