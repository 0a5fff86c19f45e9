//go:build linux

package inspect

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/nslab/nslab/nsstate"
)

// parseNetDev reads /proc/PID/net/dev: two header lines, then one line per
// interface, "NAME: RX-BYTES RX-PACKETS … (8 receive fields) TX-BYTES …".
// It fills Name, RxBytes and TxBytes.
func parseNetDev(b []byte) ([]nsstate.Interface, error) {
	var out []nsstate.Interface
	for lineNo := 1; len(b) > 0; lineNo++ {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		if lineNo <= 2 || len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		// Interface names may not hold a colon (dev_valid_name), but the
		// counters may follow it without a space.
		name, rest, ok := bytes.Cut(line, []byte{':'})
		name = bytes.TrimSpace(name)
		f := bytes.Fields(rest)
		if !ok || len(name) == 0 || len(f) < 16 {
			return nil, fmt.Errorf("net/dev line %d %q: want NAME: and 16 counters", lineNo, line)
		}
		rx, err1 := strconv.ParseUint(string(f[0]), 10, 64)
		tx, err2 := strconv.ParseUint(string(f[8]), 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("net/dev line %d %q: counters are not numbers", lineNo, line)
		}
		out = append(out, nsstate.Interface{Name: string(name), RxBytes: rx, TxBytes: tx})
	}
	return out, nil
}
