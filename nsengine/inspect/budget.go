//go:build linux

package inspect

import (
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/nslab/nslab/nsstate"
)

// Budget bounds what one snapshot reads from a lab and carries. Everything
// the inspector reads is the lab's to shape: its root can stack thousands
// of mounts with long paths in each of many mount namespaces, make
// interfaces and IPC objects, and give processes long command lines. With
// no bound, one snapshot of such a lab took seconds of the server's CPU
// and gigabytes of its memory, and a few at once ended every lab with the
// server. A lab over budget gets a snapshot cut to it that says so
// (nsstate.Snapshot.Truncated); no lesson comes near any of the bounds.
type Budget struct {
	// ReadBytes bounds the bytes read from procfs and netlink for one
	// snapshot, all files together: the kernel's and the server's work.
	ReadBytes int
	// JSONBytes bounds the snapshot's size as JSON, estimated as it is
	// built: what the server holds, sends and diffs.
	JSONBytes int
	// Processes bounds the processes read.
	Processes int
	// Namespaces bounds the namespaces whose contents (maps, mounts,
	// interfaces, IPC objects, hostname, offsets) are read; the others
	// are listed by identity only.
	Namespaces int
	// MountsPerNamespace and Mounts bound the mounts kept per mount
	// namespace and in all.
	MountsPerNamespace int
	Mounts             int
	// Interfaces and IPCObjects bound what is kept per network and IPC
	// namespace.
	Interfaces int
	IPCObjects int
	// StringBytes bounds one string taken from the lab: a command line
	// argument, a mount's paths, options and source; CmdlineBytes the
	// JSON of one process's whole command line.
	StringBytes  int
	CmdlineBytes int
}

// DefaultBudget is the budget of a snapshot whose Options leave it zero.
// A lesson's lab makes a snapshot of some 10 to 50 KB of JSON with a few
// dozen mounts per namespace; these bounds are two orders of magnitude
// above that, and keep the worst lab's snapshot to about 2 MB.
var DefaultBudget = Budget{
	ReadBytes:          8 << 20,
	JSONBytes:          2 << 20,
	Processes:          1024,
	Namespaces:         1024,
	MountsPerNamespace: 2000,
	Mounts:             8000,
	Interfaces:         256,
	IPCObjects:         1024,
	StringBytes:        1024,
	CmdlineBytes:       4 << 10,
}

// withDefaults fills zero fields from DefaultBudget.
func (b Budget) withDefaults() Budget {
	fill := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	d := DefaultBudget
	fill(&b.ReadBytes, d.ReadBytes)
	fill(&b.JSONBytes, d.JSONBytes)
	fill(&b.Processes, d.Processes)
	fill(&b.Namespaces, d.Namespaces)
	fill(&b.MountsPerNamespace, d.MountsPerNamespace)
	fill(&b.Mounts, d.Mounts)
	fill(&b.Interfaces, d.Interfaces)
	fill(&b.IPCObjects, d.IPCObjects)
	fill(&b.StringBytes, d.StringBytes)
	fill(&b.CmdlineBytes, d.CmdlineBytes)
	return b
}

// spend is what one snapshot has used of its budget, and what it cut.
type spend struct {
	b          Budget
	read, json int
	procs      int
	mounts     int
	// nsRead counts the namespaces whose contents were read.
	nsRead int
	// cut counts, per line of the truncation note, how often it applied.
	cut map[string]int
}

func newSpend(b Budget) *spend {
	return &spend{b: b.withDefaults(), cut: map[string]int{}}
}

// note records that something was left out; what is a line of the
// truncation note, one per kind of cut.
func (s *spend) note(what string) { s.cut[what]++ }

// readLimit is how much of a file of at most want bytes may be read now.
func (s *spend) readLimit(want int) int { return max(0, min(want, s.b.ReadBytes-s.read)) }

// readLeft reports whether anything may still be read; when not, it notes
// that what for was skipped.
func (s *spend) readLeft(what string) bool {
	if s.read < s.b.ReadBytes {
		return true
	}
	s.note(fmt.Sprintf("%s: not read, the snapshot read its %d bytes from procfs", what, s.b.ReadBytes))
	return false
}

// charged counts n bytes read.
func (s *spend) charged(n int) { s.read += n }

// fits takes n bytes of JSON from the budget if they fit, or notes that
// what was left out for want of room.
func (s *spend) fits(n int, what string) bool {
	if s.json+n > s.b.JSONBytes {
		s.note(fmt.Sprintf("%s: left out, the snapshot reached %d bytes of JSON", what, s.b.JSONBytes))
		return false
	}
	s.json += n
	return true
}

// clip cuts a string taken from the lab to StringBytes, on a rune
// boundary, noting the cut.
func (s *spend) clip(v string) string {
	if len(v) <= s.b.StringBytes {
		return v
	}
	s.note(fmt.Sprintf("strings: cut to %d bytes", s.b.StringBytes))
	n := s.b.StringBytes
	for n > 0 && !utf8.RuneStart(v[n]) {
		n--
	}
	return v[:n]
}

// truncation is the snapshot's note, nil when nothing was cut.
func (s *spend) truncation() *nsstate.Truncation {
	if len(s.cut) == 0 {
		return nil
	}
	t := &nsstate.Truncation{Cut: make([]string, 0, len(s.cut))}
	for what, n := range s.cut {
		if n > 1 {
			what += fmt.Sprintf(" (%d times)", n)
		}
		t.Cut = append(t.Cut, what)
	}
	sort.Strings(t.Cut)
	return t
}

// jsonLen is at least the length of v as a JSON string, quotes included:
// encoding/json writes control characters, <, >, &, U+2028 and U+2029 as
// \uXXXX, a quote or backslash with a backslash before it, and each byte
// of invalid UTF-8 as \ufffd.
func jsonLen(v string) int {
	n := 2
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			switch {
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				n += 6
			case c == '"' || c == '\\':
				n += 2
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == '\u2028', r == '\u2029':
			n += 6
		default:
			n += size
		}
		i += size
	}
	return n
}

// The JSON of one item without its strings, rounded up: field names,
// numbers, punctuation (see nsstate's struct tags).
const (
	jsonProcess   = 420 // eight namespace ids included
	jsonNamespace = 160
	jsonMount     = 150
	jsonInterface = 90
	jsonAddr      = 50
	jsonIPC       = 80
)

// mountJSON estimates one mount's JSON.
func mountJSON(m *nsstate.Mount) int {
	n := jsonMount + jsonLen(m.Root) + jsonLen(m.Point) + jsonLen(m.Options) +
		jsonLen(m.FSType) + jsonLen(m.Source) + jsonLen(m.SuperOpts)
	for _, p := range m.Propagation {
		n += jsonLen(p) + 1
	}
	return n
}

// clipMount cuts a mount's strings to the budget.
func (s *spend) clipMount(m *nsstate.Mount) {
	m.Root, m.Point, m.Options = s.clip(m.Root), s.clip(m.Point), s.clip(m.Options)
	m.FSType, m.Source, m.SuperOpts = s.clip(m.FSType), s.clip(m.Source), s.clip(m.SuperOpts)
	for i := range m.Propagation {
		m.Propagation[i] = s.clip(m.Propagation[i])
	}
}

// keepMounts keeps the mounts of one namespace that fit the budget.
func (s *spend) keepMounts(ms []nsstate.Mount) []nsstate.Mount {
	if len(ms) > s.b.MountsPerNamespace {
		s.note(fmt.Sprintf("mounts: at most %d per mount namespace", s.b.MountsPerNamespace))
		ms = ms[:s.b.MountsPerNamespace]
	}
	for i := range ms {
		if s.mounts >= s.b.Mounts {
			s.note(fmt.Sprintf("mounts: at most %d in all", s.b.Mounts))
			return ms[:i]
		}
		s.clipMount(&ms[i])
		if !s.fits(mountJSON(&ms[i]), "mounts") {
			return ms[:i]
		}
		s.mounts++
	}
	return ms
}

// clipCmdline cuts a command line to the budget: each argument to
// StringBytes, all of them to CmdlineBytes of JSON.
func (s *spend) clipCmdline(args []string) []string {
	n := 2
	for i, a := range args {
		a = s.clip(a)
		n += jsonLen(a) + 1
		if n > s.b.CmdlineBytes {
			s.note(fmt.Sprintf("command lines: cut to %d bytes of JSON", s.b.CmdlineBytes))
			return args[:i]
		}
		args[i] = a
	}
	return args
}

// processJSON estimates one process's JSON.
func processJSON(p *proc) int {
	n := jsonProcess + jsonLen(p.st.Name) + jsonLen(p.cgroup) + 8*len(p.st.NSpid)
	for _, a := range p.cmdline {
		n += jsonLen(a) + 1
	}
	return n
}

// keepInterfaces keeps the interfaces of one network namespace that fit
// the budget.
func (s *spend) keepInterfaces(ifs []nsstate.Interface) []nsstate.Interface {
	if len(ifs) > s.b.Interfaces {
		s.note(fmt.Sprintf("interfaces: at most %d per network namespace", s.b.Interfaces))
		ifs = ifs[:s.b.Interfaces]
	}
	for i := range ifs {
		// Names are at most 15 bytes (IFNAMSIZ), but are the lab's.
		ifs[i].Name = s.clip(ifs[i].Name)
		if !s.fits(jsonInterface+jsonLen(ifs[i].Name), "interfaces") {
			return ifs[:i]
		}
	}
	return ifs
}

// keepAddrs keeps the addresses of one interface that fit the budget.
func (s *spend) keepAddrs(addrs []string) []string {
	for i := range addrs {
		if !s.fits(jsonAddr, "addresses") {
			return addrs[:i]
		}
	}
	return addrs
}

// keepIPC keeps the IPC objects of one namespace that fit the budget.
func (s *spend) keepIPC(objs []nsstate.IPCObject) []nsstate.IPCObject {
	if len(objs) > s.b.IPCObjects {
		s.note(fmt.Sprintf("IPC objects: at most %d per IPC namespace", s.b.IPCObjects))
		objs = objs[:s.b.IPCObjects]
	}
	for i := range objs {
		if !s.fits(jsonIPC, "IPC objects") {
			return objs[:i]
		}
	}
	return objs
}
