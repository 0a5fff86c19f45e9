//go:build linux

package nsengine

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// realSysctls reads every readable file under the real machine's
// /proc/sys, by path below it.
func realSysctls(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir("/proc/sys", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if b, err := os.ReadFile(path); err == nil {
			out[strings.TrimPrefix(path, "/proc/sys/")] = string(b)
		}
		return nil
	})
	return out
}

// changeEverySysctl is run in a lab by the attack helper: it gives every
// file under /proc/sys that it can write another value (0 and 1 swapped,
// else the last number less one, another congestion control) and returns
// the path of each write that passed, below /proc/sys. Paths in skip are
// left alone.
func changeEverySysctl(skip []string) []string {
	var written []string
	filepath.WalkDir("/proc/sys", func(path string, d fs.DirEntry, err error) error {
		rel := strings.TrimPrefix(path, "/proc/sys/")
		if err != nil || !d.Type().IsRegular() || slices.Contains(skip, rel) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		v := strings.TrimSpace(string(b))
		var n string
		f := strings.Fields(v)
		switch {
		case v == "0":
			n = "1"
		case v == "1":
			n = "0"
		case strings.HasSuffix(rel, "congestion_control"):
			n = "reno"
		case len(f) > 0:
			last, err := strconv.ParseInt(f[len(f)-1], 10, 64)
			if err != nil {
				return nil
			}
			f[len(f)-1] = strconv.FormatInt(last-1, 10)
			n = strings.Join(f, " ")
		default:
			return nil
		}
		if os.WriteFile(path, []byte(n+"\n"), 0) == nil {
			written = append(written, rel)
		}
		return nil
	})
	return written
}

// Escape tried: change the real machine's kernel settings through the
// lab's own /proc/sys, where the kernel lets the lab's root write what
// belongs to the lab's network, IPC and PID namespaces. The lab gives
// every file it can write another value; the real machine's value of each
// must stay as it was (the test restores any that changed). The settings
// of machineWideSysctls are left out: the kernel lets a lab change them
// for the whole machine, for good, and docs/security.md says so.
func TestAttackMachineWideSysctls(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	skip := []string{
		// The real machine's own last PID moves by itself.
		"kernel/ns_last_pid",
	}
	for _, s := range machineWideSysctls {
		skip = append(skip, s.path)
	}
	before := realSysctls(t)
	out := runAttack(t, l, "h sysctl-change-all "+strings.Join(skip, " "))
	written := strings.Fields(out)
	if len(written) < 50 {
		t.Fatalf("the lab wrote %d settings (%q): want the many of its own namespaces", len(written), out)
	}
	after := realSysctls(t)
	wrote := map[string]bool{}
	for _, path := range written {
		wrote[path] = true
		if b, ok := before[path]; ok && after[path] != b {
			t.Errorf("ATTACK WORKED: the lab changed the real machine's %s from %q to %q", path, strings.TrimSpace(b), strings.TrimSpace(after[path]))
			if err := os.WriteFile("/proc/sys/"+path, []byte(b), 0); err != nil {
				t.Errorf("restore %s: %v", path, err)
			}
		}
	}
	// What lessons on networking use is the lab's to set.
	for _, path := range []string{"net/ipv4/ip_forward", "net/ipv4/conf/all/forwarding", "net/ipv4/ping_group_range"} {
		if !wrote[path] {
			t.Errorf("the lab could not set its own %s", path)
		}
	}
	t.Logf("the lab wrote %d settings of its own namespaces; the real machine's stayed", len(written))
	afterAttack(t, e, other)
}

// The machine-wide settings a lab can write are still writable from a
// lab's network namespace (else the list and docs/security.md are out of
// date). The value is not written: it would change this machine for good.
func TestMachineWideSysctlsAreLabWritable(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	for _, s := range machineWideSysctls {
		if _, err := os.Stat("/proc/sys/" + s.path); err != nil {
			t.Logf("this kernel has no %s", s.path)
			continue
		}
		if out, _ := run(t, l, "test -w /proc/sys/"+s.path+" && echo writable"); out != "writable" {
			t.Errorf("%s is no longer writable from a lab (%q): drop it from machineWideSysctls and docs/security.md", s.path, out)
		}
	}
}
