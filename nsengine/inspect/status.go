//go:build linux

package inspect

import (
	"bytes"
	"fmt"
	"strconv"
)

// procStatus is what the inspector takes from /proc/PID/status. IDs and
// PIDs are as the reader sees them: the real machine's.
type procStatus struct {
	Name  string // comm
	State string // one letter: R, S, D, Z…
	PPid  int
	UID   uint32 // effective
	GID   uint32 // effective
	NSpid []int  // from the reader's PID namespace down to the process's own
}

// parseStatus reads the fields of /proc/PID/status that the snapshot
// needs. NSpid, Uid and Gid must be there (NSpid exists since Linux 4.1).
func parseStatus(b []byte) (procStatus, error) {
	var st procStatus
	var haveUID, haveGID bool
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		key, val, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		val = bytes.TrimLeft(val, " \t")
		switch string(key) {
		case "Name":
			st.Name = unescapeName(val)
		case "State":
			if len(val) > 0 {
				st.State = string(val[:1])
			}
		case "PPid":
			n, err := strconv.Atoi(string(val))
			if err != nil || n < 0 {
				return st, fmt.Errorf("status: PPid %q", val)
			}
			st.PPid = n
		case "Uid", "Gid":
			// Real, effective, saved, filesystem: the snapshot shows the
			// effective ID, the one permission checks use.
			f := bytes.Fields(val)
			if len(f) < 2 {
				return st, fmt.Errorf("status: %s %q", key, val)
			}
			id, err := strconv.ParseUint(string(f[1]), 10, 32)
			if err != nil {
				return st, fmt.Errorf("status: %s %q: %w", key, val, err)
			}
			if key[0] == 'U' {
				st.UID, haveUID = uint32(id), true
			} else {
				st.GID, haveGID = uint32(id), true
			}
		case "NSpid":
			f := bytes.Fields(val)
			if len(f) == 0 || len(f) > 33 { // the kernel nests at most 32 PID namespaces
				return st, fmt.Errorf("status: NSpid %q", val)
			}
			st.NSpid = make([]int, len(f))
			for i, s := range f {
				n, err := strconv.Atoi(string(s))
				if err != nil || n < 0 {
					return st, fmt.Errorf("status: NSpid %q", val)
				}
				st.NSpid[i] = n
			}
		}
	}
	switch {
	case st.NSpid == nil:
		return st, fmt.Errorf("status: no NSpid line (Linux 4.1 or later is needed)")
	case !haveUID || !haveGID:
		return st, fmt.Errorf("status: no Uid or Gid line")
	}
	return st, nil
}

// unescapeName undoes the escaping of the Name line: the kernel writes a
// newline in a comm as `\n` and a backslash as `\\`.
func unescapeName(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			out = append(out, b[i])
			continue
		}
		i++
		switch b[i] {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		default:
			out = append(out, b[i])
		}
	}
	return string(out)
}
