package sim

import (
	"strconv"
	"strings"
)

// umask prints or sets the process's file mode creation mask, umask(2):
// in octal, or with -S and in chmod's symbolic modes (u=rwx,g=rx,o=rx).
func (s *shell) umask(argv []string) int {
	args := argv[1:]
	symbolic := false
	if len(args) > 0 && args[0] == "-S" {
		symbolic, args = true, args[1:]
	}
	if len(args) == 0 {
		if symbolic {
			s.out(symbolicMask(s.t.umask) + "\n")
		} else {
			s.out(sprintf("%04o\n", s.t.umask))
		}
		return 0
	}
	m := args[0]
	if m[0] >= '0' && m[0] <= '9' {
		n, err := strconv.ParseUint(m, 8, 32)
		if err != nil || n > 0o777 {
			if s.bash {
				s.errorf("umask: %s: octal number out of range", m)
				return 1
			}
			s.errorf("umask: Illegal number: %s", m)
			return 2
		}
		s.t.umask = uint32(n)
		return 0
	}
	perm, ok := applySymbolic(0o777&^s.t.umask, m)
	if !ok {
		if s.bash {
			s.errorf("umask: `%c': invalid symbolic mode operator", m[len(strings.TrimLeft(m, "ugoa"))%len(m)])
			return 1
		}
		s.errorf("umask: Illegal mode: %s", m)
		return 2
	}
	s.t.umask = 0o777 &^ perm
	return 0
}

// symbolicMask is umask -S: the permissions the mask leaves.
func symbolicMask(mask uint32) string {
	perm := 0o777 &^ mask
	var parts []string
	for i, who := range []string{"u", "g", "o"} {
		bits := perm >> (6 - 3*i) & 7
		p := who + "="
		for j, c := range "rwx" {
			if bits&(4>>j) != 0 {
				p += string(c)
			}
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ",")
}

// applySymbolic applies chmod-style clauses (who op perms, by commas) to
// permission bits.
func applySymbolic(perm uint32, mode string) (uint32, bool) {
	for _, clause := range strings.Split(mode, ",") {
		i := 0
		var who uint32
		for ; i < len(clause) && strings.IndexByte("ugoa", clause[i]) >= 0; i++ {
			switch clause[i] {
			case 'u':
				who |= 0o700
			case 'g':
				who |= 0o070
			case 'o':
				who |= 0o007
			case 'a':
				who |= 0o777
			}
		}
		if who == 0 {
			who = 0o777
		}
		if i >= len(clause) || strings.IndexByte("+-=", clause[i]) < 0 {
			return 0, false
		}
		for i < len(clause) {
			op := clause[i]
			if strings.IndexByte("+-=", op) < 0 {
				return 0, false
			}
			i++
			var bits uint32
			for ; i < len(clause) && strings.IndexByte("rwx", clause[i]) >= 0; i++ {
				switch clause[i] {
				case 'r':
					bits |= 0o444
				case 'w':
					bits |= 0o222
				case 'x':
					bits |= 0o111
				}
			}
			bits &= who
			switch op {
			case '+':
				perm |= bits
			case '-':
				perm &^= bits
			case '=':
				perm = perm&^who | bits
			}
		}
	}
	return perm, true
}
