// Package testenv lets nslab's tests say what they need from the machine.
//
// A test that needs root, namespaces, cgroups or Chromium runs them for
// real. When the machine lacks one, the test fails and says what is
// missing; it skips only when NSLAB_ALLOW_SKIP=1 is set, an explicit
// opt-out that CI never sets.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// OptOut is the environment variable that turns "missing" from a failure
// into a skip.
const OptOut = "NSLAB_ALLOW_SKIP"

// Missing fails t (or skips it under the opt-out) because the machine
// lacks what; how says how to get it.
func Missing(t testing.TB, what, how string) {
	t.Helper()
	msg := "this test needs " + what + ": " + how
	if os.Getenv(OptOut) == "1" {
		t.Skip(msg + " (skipped: " + OptOut + "=1)")
	}
	t.Fatal(msg + " (set " + OptOut + "=1 to skip such tests instead)")
}

// RequireRoot needs the test to run as root.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Missing(t, "root", "run the tests as root (CI does)")
	}
}

// RequireCommand needs an executable on PATH and returns its path.
func RequireCommand(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "the command "+name, "install the package "+pkg)
	}
	return p
}
