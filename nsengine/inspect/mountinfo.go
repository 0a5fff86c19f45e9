//go:build linux

package inspect

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/nslab/nslab/nsstate"
)

// parseMountinfo reads /proc/PID/mountinfo (proc(5)):
//
//	36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//
// The optional fields before "-" become Propagation; paths and the source
// have their octal escapes (\040 for a space…) decoded.
func parseMountinfo(b []byte) ([]nsstate.Mount, error) {
	var out []nsstate.Mount
	for lineNo := 1; len(b) > 0; lineNo++ {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		m, err := parseMountLine(line)
		if err != nil {
			return nil, fmt.Errorf("mountinfo line %d: %w", lineNo, err)
		}
		out = append(out, m)
	}
	return out, nil
}

func parseMountLine(line []byte) (nsstate.Mount, error) {
	var m nsstate.Mount
	f := bytes.Fields(line)
	sep := -1
	for i := 6; i < len(f); i++ {
		if string(f[i]) == "-" {
			sep = i
			break
		}
	}
	if sep < 0 || len(f) < sep+3 {
		return m, fmt.Errorf("want ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE [SUPEROPTS], got %q", line)
	}
	var err error
	if m.ID, err = atoiNonNeg(f[0]); err != nil {
		return m, fmt.Errorf("mount id: %w", err)
	}
	if m.ParentID, err = atoiNonNeg(f[1]); err != nil {
		return m, fmt.Errorf("parent id: %w", err)
	}
	maj, min, ok := bytes.Cut(f[2], []byte{':'})
	if !ok {
		return m, fmt.Errorf("device %q: want MAJOR:MINOR", f[2])
	}
	if m.Major, err = atoiNonNeg(maj); err != nil {
		return m, fmt.Errorf("device major: %w", err)
	}
	if m.Minor, err = atoiNonNeg(min); err != nil {
		return m, fmt.Errorf("device minor: %w", err)
	}
	m.Root = unescapeOctal(f[3])
	m.Point = unescapeOctal(f[4])
	m.Options = string(f[5])
	for _, o := range f[6:sep] {
		m.Propagation = append(m.Propagation, string(o))
	}
	m.FSType = unescapeOctal(f[sep+1])
	m.Source = unescapeOctal(f[sep+2])
	if len(f) > sep+3 {
		m.SuperOpts = unescapeOctal(f[sep+3])
	}
	return m, nil
}

func atoiNonNeg(b []byte) (int, error) {
	n, err := strconv.Atoi(string(b))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a number", b)
	}
	return n, nil
}

// unescapeOctal decodes the kernel's \NNN escapes (\040 space, \011 tab,
// \012 newline, \134 backslash); anything else is kept as it is.
func unescapeOctal(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+3 < len(b) && isOctal(b[i+1]) && isOctal(b[i+2]) && isOctal(b[i+3]) && b[i+1] <= '3' {
			out = append(out, (b[i+1]-'0')<<6|(b[i+2]-'0')<<3|(b[i+3]-'0'))
			i += 3
			continue
		}
		out = append(out, b[i])
	}
	return string(out)
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
