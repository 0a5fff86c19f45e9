//go:build linux

package inspect

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/nslab/nslab/nsstate"
)

// parseTimensOffsets reads /proc/PID/timens_offsets: lines of
// "CLOCK SECONDS NANOSECONDS", CLOCK being "monotonic" or "boottime"
// (early kernels wrote the clock ids 1 and 7 instead).
func parseTimensOffsets(b []byte) (*nsstate.TimeOffsets, error) {
	var t nsstate.TimeOffsets
	for lineNo := 1; len(b) > 0; lineNo++ {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		f := bytes.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("timens_offsets line %d %q: want CLOCK SECONDS NANOSECONDS", lineNo, line)
		}
		sec, err1 := strconv.ParseInt(string(f[1]), 10, 64)
		nsec, err2 := strconv.ParseInt(string(f[2]), 10, 64)
		if err1 != nil || err2 != nil || nsec < 0 || nsec >= 1e9 {
			return nil, fmt.Errorf("timens_offsets line %d %q: bad offset", lineNo, line)
		}
		switch string(f[0]) {
		case "monotonic", "1":
			t.Monotonic = nsstate.Offset{Sec: sec, Nsec: nsec}
		case "boottime", "7":
			t.Boottime = nsstate.Offset{Sec: sec, Nsec: nsec}
		default:
			return nil, fmt.Errorf("timens_offsets line %d: unknown clock %q", lineNo, f[0])
		}
	}
	return &t, nil
}
