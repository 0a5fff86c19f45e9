//go:build linux

package inspect

import (
	"bytes"
	"fmt"
	"strings"
)

// cgroupLine is one line of /proc/PID/cgroup: "ID:CONTROLLERS:PATH".
type cgroupLine struct {
	Hierarchy   string
	Controllers string
	Path        string
}

// parseCgroup reads /proc/PID/cgroup. The path may itself hold colons, so
// a line splits at its first two only.
func parseCgroup(b []byte) ([]cgroupLine, error) {
	var out []cgroupLine
	for lineNo := 1; len(b) > 0; lineNo++ {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		if len(line) == 0 {
			continue
		}
		id, rest, ok1 := bytes.Cut(line, []byte{':'})
		ctl, path, ok2 := bytes.Cut(rest, []byte{':'})
		if !ok1 || !ok2 || len(id) == 0 || len(path) == 0 || path[0] != '/' {
			return nil, fmt.Errorf("cgroup line %d %q: want ID:CONTROLLERS:/PATH", lineNo, line)
		}
		out = append(out, cgroupLine{string(id), string(ctl), string(path)})
	}
	return out, nil
}

// pickCgroup chooses the line the snapshot shows: the cgroup v2 one
// ("0::"), else the v1 hierarchy holding the pids controller (where labs
// are limited on v1 machines), else the first.
func pickCgroup(lines []cgroupLine) (cgroupLine, bool) {
	for _, l := range lines {
		if l.Hierarchy == "0" && l.Controllers == "" {
			return l, true
		}
	}
	for _, l := range lines {
		for _, c := range strings.Split(l.Controllers, ",") {
			if c == "pids" {
				return l, true
			}
		}
	}
	if len(lines) > 0 {
		return lines[0], true
	}
	return cgroupLine{}, false
}

// relativeCgroup makes path relative to root, the way the kernel shows a
// cgroup to a process whose cgroup namespace is rooted at root: "/" for
// root itself, "/../x" for what lies beside or above it.
func relativeCgroup(path, root string) string {
	if root == "/" {
		return path
	}
	if path == root {
		return "/"
	}
	if strings.HasPrefix(path, root+"/") {
		return path[len(root):]
	}
	p := splitCgroup(path)
	r := splitCgroup(root)
	common := 0
	for common < len(p) && common < len(r) && p[common] == r[common] {
		common++
	}
	var b strings.Builder
	for range r[common:] {
		b.WriteString("/..")
	}
	for _, e := range p[common:] {
		b.WriteString("/" + e)
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

func splitCgroup(p string) []string {
	var out []string
	for _, e := range strings.Split(p, "/") {
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}
