//go:build linux

package nsengine

import (
	"strings"
	"testing"
)

// Escape tried: reach the overlays' hidden layers (the writable layer and
// work folder of /etc, the idmapped lower layers, the empty lower) other
// than through the overlays, to write a layer behind its overlay's back
// (undefined behaviour of overlayfs) or to use an idmapped lower layer,
// which shows the machine's files as the lab root's, for a mount of the
// lab's own. The lab's root unmounts everything that covers or overlays
// something (overlays, /usr/local, both /sys mounts), then looks for the
// layers' names below, in every root, working folder and open descriptor
// of every process of the lab, init's included, and under a clone of its
// root made with open_tree (what a bind of / would show).
func TestAttackReachOverlayLayers(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	// After /usr goes, only bash's builtins are left to look with.
	out := runAttack(t, l, `exec 2>/dev/null
mkdir -p /tmp/l
mount --bind / /tmp/l
umount /usr/local; umount -l /etc; umount -l /sys; umount -l /sys; umount -l /usr
shopt -s globstar dotglob nullglob
n=0; while read -r line; do [[ $line == *" - overlay "* ]] && n=$((n+1)); done </proc/self/mountinfo; echo $n
look() { for f in "$1"/etc.work "$1"/empty "$1"/lower-*; do [ -e "$f" ] && echo "FOUND $f"; done; }
for p in /proc/[0-9]*; do for f in $p/root $p/cwd $p/fd/*; do [ -d "$f" ] && look "$f"; done; done
for top in /* /tmp/l/*; do
	case $top in /proc|/dev|/tmp/l/proc|/tmp/l/dev) continue;; esac
	for f in "$top" "$top"/**; do case ${f##*/} in etc.work|empty|lower-*) echo "FOUND $f";; esac; done
done
echo done`)
	lines := strings.Split(out, "\n")
	if lines[0] != "0" {
		t.Fatalf("the attack could not unmount the overlays (%s overlays left): %q", lines[0], out)
	}
	if strings.Contains(out, "FOUND") || lines[len(lines)-1] != "done" {
		t.Errorf("ATTACK WORKED: the overlays' layers are reachable from the lab: %q", out)
	}
	afterAttack(t, e, other)
}
