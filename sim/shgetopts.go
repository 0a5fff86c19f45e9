package sim

import (
	"strconv"
	"strings"
)

// getopts is POSIX getopts: the next option of the positional parameters
// (or of the arguments after NAME) into NAME, its argument into OPTARG,
// the index of the next argument into OPTIND. An unknown option or a
// missing argument is reported in the shell's words unless OPTSTRING
// starts with ":".
func (s *shell) getopts(argv []string) int {
	if len(argv) < 3 {
		if s.bash {
			s.t.Write(2, []byte("getopts: usage: getopts optstring name [arg ...]\n"))
		} else {
			s.errorf("getopts: Usage: getopts optstring var [arg...]")
		}
		return 2
	}
	optstring, name := argv[1], argv[2]
	args := s.args
	if len(argv) > 3 {
		args = argv[3:]
	}
	silent := strings.HasPrefix(optstring, ":")
	ind := 1
	if v, ok := s.vars["OPTIND"]; ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			ind = n
		}
	}
	if ind != s.optInd {
		// OPTIND set from outside (OPTIND=1): start over.
		s.optPos = 0
	}
	finish := func(status int) int {
		s.optInd = ind
		s.setVar("OPTIND", itoa(ind))
		return status
	}
	if s.optPos == 0 {
		if ind-1 >= len(args) || len(args[ind-1]) < 2 || args[ind-1][0] != '-' {
			s.setVar(name, "?")
			return finish(1)
		}
		if args[ind-1] == "--" {
			ind++
			s.setVar(name, "?")
			return finish(1)
		}
		s.optPos = 1
	}
	arg := args[ind-1]
	c := arg[s.optPos]
	s.optPos++
	if s.optPos >= len(arg) {
		ind++
		s.optPos = 0
	}
	i := strings.IndexByte(optstring, c)
	if i < 0 || c == ':' {
		s.setVar(name, "?")
		if silent {
			s.setVar("OPTARG", string(c))
		} else {
			delete(s.vars, "OPTARG")
			if s.bash {
				s.t.Write(2, []byte(s.name+": illegal option -- "+string(c)+"\n"))
			} else {
				s.t.Write(2, []byte("Illegal option -"+string(c)+"\n"))
			}
		}
		return finish(0)
	}
	if i+1 < len(optstring) && optstring[i+1] == ':' {
		switch {
		case s.optPos > 0:
			s.setVar("OPTARG", arg[s.optPos:])
			ind++
			s.optPos = 0
		case ind-1 < len(args):
			s.setVar("OPTARG", args[ind-1])
			ind++
		case silent:
			s.setVar(name, ":")
			s.setVar("OPTARG", string(c))
			return finish(0)
		default:
			s.setVar(name, "?")
			delete(s.vars, "OPTARG")
			if s.bash {
				s.t.Write(2, []byte(s.name+": option requires an argument -- "+string(c)+"\n"))
			} else {
				s.t.Write(2, []byte("No arg for -"+string(c)+" option\n"))
			}
			return finish(0)
		}
	} else if s.bash {
		delete(s.vars, "OPTARG")
	} else {
		// dash empties OPTARG for an option without an argument.
		s.setVar("OPTARG", "")
	}
	s.setVar(name, string(c))
	return finish(0)
}
