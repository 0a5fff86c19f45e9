package sim

import "strings"

// optSpec describes a command's options for getoptLong, which parses like
// glibc's getopt_long with a leading "+" (stop at the first operand):
// short options may be clustered (-Urpf), long options take "=VALUE" or the
// next argument.
type optSpec struct {
	// short maps an option letter to whether it takes an argument:
	// 0 none, 1 required, 2 optional (attached only).
	short map[byte]int
	// long maps a long option name to its short letter (or a unique
	// code above 127) and its argument kind.
	long map[string]longOpt
}

type longOpt struct {
	code byte
	arg  int
}

type parsedOpt struct {
	code   byte
	name   string // as given, for messages
	value  string
	hasVal bool
}

// getoptLong parses args; it returns the options, the operands, and an
// error message in glibc's words ("invalid option -- 'z'").
func getoptLong(spec optSpec, args []string, stopAtOperand bool) ([]parsedOpt, []string, string) {
	var opts []parsedOpt
	var operands []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			operands = append(operands, args[i+1:]...)
			return opts, operands, ""
		}
		if strings.HasPrefix(a, "--") {
			name, val, has := strings.Cut(a[2:], "=")
			lo, ok := spec.long[name]
			if !ok {
				// Unique prefixes are accepted.
				var match string
				for n := range spec.long {
					if strings.HasPrefix(n, name) {
						if match != "" {
							return nil, nil, "option '--" + name + "' is ambiguous"
						}
						match = n
					}
				}
				if match == "" {
					return nil, nil, "unrecognized option '" + a + "'"
				}
				name, lo = match, spec.long[match]
			}
			switch lo.arg {
			case 0:
				if has {
					return nil, nil, "option '--" + name + "' doesn't allow an argument"
				}
			case 1:
				if !has {
					if i+1 >= len(args) {
						return nil, nil, "option '--" + name + "' requires an argument"
					}
					i++
					val, has = args[i], true
				}
			}
			opts = append(opts, parsedOpt{code: lo.code, name: "--" + name, value: val, hasVal: has})
			continue
		}
		if len(a) > 1 && a[0] == '-' {
			for j := 1; j < len(a); j++ {
				c := a[j]
				kind, ok := spec.short[c]
				if !ok {
					return nil, nil, "invalid option -- '" + string(c) + "'"
				}
				switch kind {
				case 0:
					opts = append(opts, parsedOpt{code: c, name: "-" + string(c)})
				case 1:
					val := a[j+1:]
					if val == "" {
						if i+1 >= len(args) {
							return nil, nil, "option requires an argument -- '" + string(c) + "'"
						}
						i++
						val = args[i]
					}
					opts = append(opts, parsedOpt{code: c, name: "-" + string(c), value: val, hasVal: true})
					j = len(a)
				case 2:
					val := a[j+1:]
					opts = append(opts, parsedOpt{code: c, name: "-" + string(c), value: val, hasVal: val != ""})
					j = len(a)
				}
			}
			continue
		}
		if stopAtOperand {
			operands = append(operands, args[i:]...)
			return opts, operands, ""
		}
		operands = append(operands, a)
	}
	return opts, operands, ""
}

// usageError prints util-linux's two-line complaint and returns 1.
func usageError(p *Proc, prog, msg string) int {
	p.Errorf("%s: %s\nTry '%s --help' for more information.\n", prog, msg, prog)
	return 1
}
