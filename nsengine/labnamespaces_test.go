//go:build linux

package nsengine

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// Escape tried: make more namespaces than a lab may hold by using several
// of its user IDs: the limits in the lab's own user namespace count each
// of its 65536 users apart. Each user makes more network namespaces
// (each with its user namespace) than its own limit allows, and the lab's
// root keeps them all alive with bind mounts of their nsfs files, which
// cost no process. The namespaces are counted from the real machine, in
// the lab's mount table.
func TestAttackNamespacesAcrossIDs(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	perUser := labNamespaceLimits["max_net_namespaces"]
	users := labTotalNamespaceLimits["max_net_namespaces"]/perUser + 2
	out := runAttack(t, l, fmt.Sprintf(`exec 2>/dev/null; mkdir -p /run/ns
for u in $(seq %d); do
	for i in $(seq %d); do setpriv --reuid $u --regid $u --clear-groups unshare -Un sleep 300 </dev/null >/dev/null 2>&1 & done
	while pgrep -x unshare >/dev/null; do sleep 0.1; done # each has made its namespaces and become sleep, or failed
	for p in $(pgrep -x -u $u sleep); do touch /run/ns/$p && mount --bind /proc/$p/ns/net /run/ns/$p; kill -9 $p; done
done
ls /run/ns | wc -l`, users, perUser+2))
	held := heldNetNamespaces(t, l)
	t.Logf("%d lab users made %s network namespaces; the lab's mount table holds %d", users, out, held)
	if max := labTotalNamespaceLimits["max_net_namespaces"]; held > max || held < perUser {
		t.Errorf("ATTACK WORKED: the lab holds %d network namespaces, want at most %d for the whole lab (and at least one user's %d)", held, max, perUser)
	}
	if err := exec.Command("unshare", "-n", "true").Run(); err != nil {
		t.Errorf("ATTACK WORKED: the machine cannot make a network namespace: %v", err)
	}
	if out, _ := run(t, other, "unshare -n echo ok"); out != "ok" {
		t.Errorf("ATTACK WORKED: the neighbour cannot make a network namespace: %q", out)
	}
	afterAttack(t, e, other)
}

// heldNetNamespaces counts the distinct network namespaces bound in the
// mount table of the lab's init, read from the real machine.
func heldNetNamespaces(t *testing.T, l *Lab) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(l.InitPID()) + "/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) > 4 && strings.HasPrefix(f[3], "net:[") {
			seen[f[3]] = true
		}
	}
	return len(seen)
}
