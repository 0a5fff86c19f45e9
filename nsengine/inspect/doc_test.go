//go:build linux

package inspect

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/nslab/nslab/nsstate"
)

// TestStateDocExample keeps docs/state.md honest: its example snapshot
// must decode and validate, and its example diff must apply to it as the
// text says.
func TestStateDocExample(t *testing.T) {
	b, err := os.ReadFile("../../docs/state.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, part := range strings.Split(string(b), "```json\n")[1:] {
		blocks = append(blocks, part[:strings.Index(part, "```")])
	}
	if len(blocks) != 2 {
		t.Fatalf("docs/state.md has %d JSON examples, want a snapshot and a diff", len(blocks))
	}
	var s nsstate.Snapshot
	if err := json.Unmarshal([]byte(blocks[0]), &s); err != nil {
		t.Fatalf("example snapshot: %v", err)
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("example snapshot: %v", err)
	}
	if p := s.Process(6); p == nil || len(p.NSpid) != 2 || s.Namespace(p.NS[nsstate.NSUTS]).Hostname != "web" {
		t.Errorf("example snapshot: sleep is not PID 6 = 1 in UTS web: %+v", p)
	}
	var d nsstate.Diff
	if err := json.Unmarshal([]byte(blocks[1]), &d); err != nil {
		t.Fatalf("example diff: %v", err)
	}
	after := s.Apply(d)
	if err := after.Validate(); err != nil {
		t.Fatalf("example snapshot after the diff: %v", err)
	}
	if len(after.Processes) != 1 || len(after.Namespaces) != len(s.Namespaces)-2 {
		t.Errorf("after the diff: %d processes, %d namespaces", len(after.Processes), len(after.Namespaces))
	}
	want := nsstate.Compare(&s, after)
	got, _ := json.Marshal(d)
	wantJSON, _ := json.Marshal(want)
	if string(got) != string(wantJSON) {
		t.Errorf("example diff %s, Compare makes %s", got, wantJSON)
	}
}
