//go:build linux

package inspect

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/nslab/nslab/nsstate"
)

// maxIDMapLines is the kernel's limit on the lines of a uid_map or gid_map
// (340 since Linux 4.15).
const maxIDMapLines = 340

// parseIDMap reads /proc/PID/uid_map or gid_map: lines of
// "INSIDE OUTSIDE COUNT".
func parseIDMap(b []byte) (nsstate.IDMap, error) {
	var m nsstate.IDMap
	for lineNo := 1; len(b) > 0; lineNo++ {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		f := bytes.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("id map line %d %q: want INSIDE OUTSIDE COUNT", lineNo, line)
		}
		var v [3]uint32
		for i := range f {
			n, err := strconv.ParseUint(string(f[i]), 10, 32)
			if err != nil {
				return nil, fmt.Errorf("id map line %d %q: %w", lineNo, line, err)
			}
			v[i] = uint32(n)
		}
		if len(m) == maxIDMapLines {
			return nil, fmt.Errorf("id map: more than %d lines", maxIDMapLines)
		}
		m = append(m, nsstate.IDRange{Inside: v[0], Outside: v[1], Count: v[2]})
	}
	return m, nil
}

// reparent rewrites a user namespace's map, read with outside IDs in the
// real machine's user namespace, so that its outside IDs are in the parent
// user namespace, as nsstate documents them. parentReal is the parent's
// map as read from the real machine (inside: parent's IDs, outside: real
// ones). The kernel lets a range of a child map lie only inside one range
// of its parent's map, so each range translates whole. ok is false if a
// range does not.
func reparent(m, parentReal nsstate.IDMap) (nsstate.IDMap, bool) {
	out := make(nsstate.IDMap, 0, len(m))
	for _, r := range m {
		first, ok := parentReal.Down(r.Outside)
		if !ok {
			return nil, false
		}
		if r.Count > 0 {
			last, ok := parentReal.Down(r.Outside + r.Count - 1)
			if !ok || last-first != r.Count-1 {
				return nil, false
			}
		}
		out = append(out, nsstate.IDRange{Inside: r.Inside, Outside: first, Count: r.Count})
	}
	return out, true
}

// downOrOverflow maps a real-machine ID into the namespace whose map
// (read from the real machine) is m; unmapped IDs read as the overflow ID,
// as the kernel shows them.
func downOrOverflow(m nsstate.IDMap, id uint32) uint32 {
	if in, ok := m.Down(id); ok {
		return in
	}
	return nsstate.OverflowID
}
