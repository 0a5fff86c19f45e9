//go:build linux

package inspect

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/nslab/nslab/nsstate"
)

// parseSysvipc reads /proc/sysvipc/shm, sem or msg (kind names which): a
// header line naming the columns, then one line per object. Columns are
// found by name, since their set differs per kind and kernel version. UID
// is the owner as the reader's user namespace sees it; perms are octal.
func parseSysvipc(kind string, b []byte) ([]nsstate.IPCObject, error) {
	idCol := map[string]string{"shm": "shmid", "sem": "semid", "msg": "msqid"}[kind]
	if idCol == "" {
		return nil, fmt.Errorf("sysvipc: unknown kind %q", kind)
	}
	header, b, _ := bytes.Cut(b, []byte{'\n'})
	col := map[string]int{}
	for i, name := range bytes.Fields(header) {
		col[string(name)] = i
	}
	last := 0 // the last column a line must have
	for _, want := range []string{"key", idCol, "perms", "uid"} {
		i, ok := col[want]
		if !ok {
			return nil, fmt.Errorf("sysvipc %s: header %q has no %s column", kind, header, want)
		}
		last = max(last, i)
	}
	var out []nsstate.IPCObject
	for lineNo := 2; len(b) > 0; lineNo++ {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		f := bytes.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) <= last {
			return nil, fmt.Errorf("sysvipc %s line %d %q: want %d columns", kind, lineNo, line, last+1)
		}
		key, err1 := strconv.ParseInt(string(f[col["key"]]), 10, 64)
		id, err2 := strconv.ParseUint(string(f[col[idCol]]), 10, 31)
		perms, err3 := strconv.ParseUint(string(f[col["perms"]]), 8, 32)
		uid, err4 := strconv.ParseUint(string(f[col["uid"]]), 10, 32)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			return nil, fmt.Errorf("sysvipc %s line %d %q: bad number", kind, lineNo, line)
		}
		out = append(out, nsstate.IPCObject{Kind: kind, Key: key, ID: int(id), Perms: uint32(perms), UID: uint32(uid)})
	}
	return out, nil
}
