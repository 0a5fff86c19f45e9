//go:build linux

package nsengine

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestAttackPlantedCheckJoinsLabUserNamespace plants a program where a
// check runs the lab's nsenter (a bind mount, as the lab's root may). The
// planted program joins the lab's own user namespace, which would give it
// every capability there, those the lab's bounding set drops included,
// and raises the limit the lab's root cannot raise (limitLabNamespaces).
// The check then tries setns with nstype 0 (any namespace file) too.
func TestAttackPlantedCheckJoinsLabUserNamespace(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	runAttack(t, l, `n=$(command -v nsenter)
cp "$n" /root/real-nsenter
cat > /root/planted <<'PLANT'
#!/bin/sh
/root/real-nsenter -U -t 1 -- sh -c 'echo 100000 > /proc/sys/user/max_user_namespaces; grep CapBnd /proc/self/status' 2>&1
echo planted program: $?
echo 100000 > /proc/sys/user/max_user_namespaces 2>/dev/null
echo outer limit $(cat /proc/sys/user/max_user_namespaces)
shift 2
exec "$@"
PLANT
chmod 755 /root/planted
mount --bind /root/planted "$n" && echo planted`)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer bin.Close()
	c, r := startCheck(t, l, attackShell+fmt.Sprintf(`echo setns0 $(h syscall %d 3 0 3</proc/1/ns/user)`, unix.SYS_SETNS), bin)
	said, _ := io.ReadAll(r)
	r.Close()
	st, err := c.Wait()
	t.Logf("check: status %d, %v, said %q", st, err, said)
	out := runAttack(t, l, `echo limit $(cat /proc/sys/user/max_user_namespaces)`)
	if !strings.Contains(string(said), "planted program") {
		t.Errorf("the planted program did not run: %q", said)
	}
	if !strings.Contains(out, "limit 64") {
		t.Errorf("ATTACK WORKED: a check raised the lab's namespace limit: %q", out)
	}
	// Its own /proc/sys/user is the outer namespace's, the whole lab's.
	if !strings.Contains(string(said), "outer limit 128\n") {
		t.Errorf("ATTACK WORKED: a check raised the whole lab's namespace limit: %q", said)
	}
	// EPERM is the filter's; the kernel itself would refuse this
	// multithreaded caller with EINVAL.
	if !strings.Contains(string(said), "setns0 1\n") {
		t.Errorf("ATTACK WORKED: setns with nstype 0 got past the filter: %q", said)
	}
	afterAttack(t, e, other)
}
