package sim

import (
	"sort"
	"strings"
)

// help lists what the simulated lab can run.
func (s *shell) help(argv []string) int {
	var names []string
	for n := range s.k.programs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("This is a simulated lab host. Programs:\n")
	for i, n := range names {
		b.WriteString("  " + n)
		if i%6 == 5 {
			b.WriteString("\n")
		}
	}
	b.WriteString("\nShell builtins: cd echo exit export kill printf pwd read set test wait …\n")
	b.WriteString("Try: unshare -Urpf --mount-proc sh -c 'ps -ef; id'\n")
	s.out(b.String())
	return 0
}
