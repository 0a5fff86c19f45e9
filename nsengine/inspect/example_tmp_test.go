//go:build linux

package inspect

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/nslab/nslab/nsstate"
)

func TestTmpExample(t *testing.T) {
	l := startLab(t, "ip link set lo up\nunshare -upf sh -c 'hostname web; exec sleep 1000' &")
	s := snapshotWhen(t, Options{InitPID: l.init}, func(s *nsstate.Snapshot) bool { return len(s.Processes) >= 4 })
	for i := range s.Namespaces {
		if len(s.Namespaces[i].Mounts) > 2 {
			s.Namespaces[i].Mounts = s.Namespaces[i].Mounts[:2]
		}
	}
	b, _ := json.MarshalIndent(s, "", "  ")
	os.WriteFile("/tmp/inspect-example.json", b, 0o644)
}
