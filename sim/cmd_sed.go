package sim

import (
	"regexp"
	"strings"
)

// sedProgram is a small sed: -n, -e, and the commands s/RE/TEXT/[gp], p
// and d, optionally after a line number or /RE/ address.
func sedProgram(p *Proc) int {
	quiet := false
	var scripts, files []string
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-n":
			quiet = true
		case a == "-e" && i+1 < len(args):
			scripts = append(scripts, args[i+1])
			i++
		case a == "-E" || a == "-r":
		case len(scripts) == 0 && !strings.HasPrefix(a, "-"):
			scripts = append(scripts, a)
		default:
			files = append(files, a)
		}
	}
	if len(scripts) == 0 {
		p.Errorf("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n")
		return 1
	}
	var cmds []sedCmd
	for _, s := range scripts {
		for _, part := range strings.Split(s, ";") {
			c, ok := parseSed(strings.TrimSpace(part))
			if !ok {
				p.Errorf("sed: -e expression #1, char %d: unknown command: `%s'\n", len(part), part)
				return 1
			}
			cmds = append(cmds, c)
		}
	}
	texts, _, status := inputs(p, "sed", files)
	var out strings.Builder
	n := 0
	for _, t := range texts {
		for _, line := range splitLines(t) {
			n++
			deleted := false
			for _, c := range cmds {
				if c.line > 0 && c.line != n || c.addr != nil && !c.addr.MatchString(line) {
					continue
				}
				switch c.op {
				case 's':
					if c.global {
						line = c.re.ReplaceAllString(line, c.repl)
					} else if loc := c.re.FindStringIndex(line); loc != nil {
						line = line[:loc[0]] + c.re.ReplaceAllString(line[loc[0]:loc[1]], c.repl) + line[loc[1]:]
					} else {
						continue
					}
					if c.print {
						out.WriteString(line + "\n")
					}
				case 'p':
					out.WriteString(line + "\n")
				case 'd':
					deleted = true
				}
				if deleted {
					break
				}
			}
			if !deleted && !quiet {
				out.WriteString(line + "\n")
			}
		}
	}
	p.Stdout().Write([]byte(out.String()))
	if status != 0 {
		return 2
	}
	return 0
}

type sedCmd struct {
	line   int
	addr   *regexp.Regexp
	op     byte
	re     *regexp.Regexp
	repl   string
	global bool
	print  bool
}

func parseSed(s string) (sedCmd, bool) {
	var c sedCmd
	for len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
		c.line = c.line*10 + int(s[0]-'0')
		s = s[1:]
	}
	if strings.HasPrefix(s, "/") {
		end := strings.IndexByte(s[1:], '/')
		if end < 0 {
			return c, false
		}
		re, err := regexp.Compile(basicToExtended(s[1 : 1+end]))
		if err != nil {
			return c, false
		}
		c.addr = re
		s = s[end+2:]
	}
	if s == "" {
		return c, false
	}
	c.op = s[0]
	switch c.op {
	case 'p', 'd':
		return c, len(s) == 1
	case 's':
		if len(s) < 2 {
			return c, false
		}
		parts := strings.Split(s[2:], string(s[1]))
		if len(parts) != 3 {
			return c, false
		}
		re, err := regexp.Compile(basicToExtended(parts[0]))
		if err != nil {
			return c, false
		}
		c.re = re
		c.repl = strings.ReplaceAll(strings.ReplaceAll(parts[1], "$", "$$"), "&", "${0}")
		for i := 1; i <= 9; i++ {
			c.repl = strings.ReplaceAll(c.repl, "\\"+itoa(i), "${"+itoa(i)+"}")
		}
		c.global = strings.Contains(parts[2], "g")
		c.print = strings.Contains(parts[2], "p")
		return c, true
	}
	return c, false
}
