package sim

import (
	"sort"
	"strings"
)

// This file holds alias, unalias, hash and type: the builtins that say
// what a command name stands for.

// aliasFor is the parser's alias hook: dash expands aliases always, bash
// only in an interactive shell ("Aliases are not expanded when the shell
// is not interactive, unless the expand_aliases shell option is set").
func (s *shell) aliasFor(name string) (string, bool) {
	if s.bash && !s.interactive {
		return "", false
	}
	v, ok := s.aliases[name]
	return v, ok
}

// aliasLine is one alias as alias prints it: dash "ll='ls -l'", bash
// "alias ll='ls -l'".
func (s *shell) aliasLine(name string) string {
	line := name + "=" + shellQuote(s.aliases[name]) + "\n"
	if s.bash {
		line = "alias " + line
	}
	return line
}

func (s *shell) alias(argv []string) int {
	args := argv[1:]
	if len(args) > 0 && args[0] == "-p" && s.bash {
		args = args[1:]
	}
	if len(args) == 0 {
		names := make([]string, 0, len(s.aliases))
		for k := range s.aliases {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			s.out(s.aliasLine(k))
		}
		return 0
	}
	status := 0
	for _, a := range args {
		name, val, has := strings.Cut(a, "=")
		if has {
			s.aliases[name] = val
			continue
		}
		if _, ok := s.aliases[name]; ok {
			s.out(s.aliasLine(name))
			continue
		}
		if s.bash {
			s.errorf("alias: %s: not found", name)
		} else {
			s.t.Write(2, []byte("alias: "+name+" not found\n"))
		}
		status = 1
	}
	return status
}

func (s *shell) unalias(argv []string) int {
	args := argv[1:]
	if len(args) > 0 && args[0] == "-a" {
		s.aliases = map[string]string{}
		return 0
	}
	if len(args) == 0 {
		if s.bash {
			s.errorf("unalias: usage: unalias [-a] name [name ...]")
		} else {
			s.errorf("unalias: usage: unalias [-a] name [name ...]")
		}
		return 2
	}
	status := 0
	for _, name := range args {
		if _, ok := s.aliases[name]; ok {
			delete(s.aliases, name)
			continue
		}
		if s.bash {
			s.errorf("unalias: %s: not found", name)
		} else {
			s.t.Write(2, []byte("unalias: "+name+" not found\n"))
		}
		status = 1
	}
	return status
}

// noteHashed remembers where a command name was found, as both shells do
// before they run a program.
func (s *shell) noteHashed(name string) {
	if strings.Contains(name, "/") || s.isBuiltin(name) {
		return
	}
	if e := s.hashed[name]; e != nil {
		e.hits++
		return
	}
	if file, _, err := s.k.findExecutable(s.t, name); err == nil {
		s.hashed[name] = &hashEntry{path: file, hits: 1}
	}
}

// hash lists the remembered programs (dash: their paths; bash: a table
// with hits), forgets them (-r), or looks names up.
func (s *shell) hash(argv []string) int {
	args := argv[1:]
	if len(args) > 0 && args[0] == "-r" {
		s.hashed = map[string]*hashEntry{}
		args = args[1:]
		if len(args) == 0 {
			return 0
		}
	}
	if len(args) == 0 {
		names := make([]string, 0, len(s.hashed))
		for k := range s.hashed {
			names = append(names, k)
		}
		sort.Strings(names)
		if s.bash {
			if len(names) == 0 {
				s.t.Write(1, []byte("hash: hash table empty\n"))
				return 0
			}
			s.out("hits\tcommand\n")
		}
		for _, k := range names {
			if s.bash {
				s.out(sprintf("%4d\t%s\n", s.hashed[k].hits, s.hashed[k].path))
			} else {
				s.out(s.hashed[k].path + "\n")
			}
		}
		return 0
	}
	status := 0
	for _, name := range args {
		if s.isBuiltin(name) {
			continue
		}
		file, _, err := s.k.findExecutable(s.t, name)
		if err != nil {
			s.errorf("hash: %s: not found", name)
			status = 1
			continue
		}
		s.hashed[name] = &hashEntry{path: file}
	}
	return status
}

// keywords are the reserved words type names as such.
var keywords = map[string]bool{"if": true, "then": true, "else": true, "elif": true, "fi": true, "case": true, "esac": true, "for": true, "while": true, "until": true, "do": true, "done": true, "{": true, "}": true, "!": true, "in": true}

// typeBuiltin says what each name is: alias, keyword, function, builtin
// or program, in the shell's words; dash says "not found" on standard
// output with status 127, bash on standard error with status 1.
func (s *shell) typeBuiltin(argv []string) int {
	status := 0
	for _, a := range argv[1:] {
		if v, ok := s.aliases[a]; ok {
			if s.bash {
				s.out(a + " is aliased to `" + v + "'\n")
			} else {
				s.out(a + " is an alias for " + v + "\n")
			}
			continue
		}
		if keywords[a] || s.bash && (a == "[[" || a == "]]") {
			if s.bash {
				s.out(a + " is a shell keyword\n")
			} else {
				s.out(a + " is a shell keyword\n")
			}
			continue
		}
		if _, ok := s.funcs[a]; ok {
			if s.bash {
				s.out(a + " is a function\n")
			} else {
				s.out(a + " is a shell function\n")
			}
			continue
		}
		if s.isBuiltin(a) {
			if specialBuiltins[a] && !s.bash {
				s.out(a + " is a special shell builtin\n")
			} else {
				s.out(a + " is a shell builtin\n")
			}
			continue
		}
		if e := s.hashed[a]; e != nil && !s.bash {
			s.out(a + " is a tracked alias for " + e.path + "\n")
			continue
		}
		if file, _, err := s.k.findExecutable(s.t, a); err == nil {
			if e := s.hashed[a]; e != nil && s.bash {
				s.out(a + " is hashed (" + file + ")\n")
				continue
			}
			s.out(a + " is " + file + "\n")
			continue
		}
		if s.bash {
			s.errorf("type: %s: not found", a)
			status = 1
			continue
		}
		s.out(a + ": not found\n")
		status = 127
	}
	return status
}
