package web

import (
	"strings"
	"testing"

	"github.com/nslab/nslab/nsstate"
)

// TestPinnedRender draws a network namespace that only a bind mount holds
// (ip netns add blue): it must show with its mount point and its
// interfaces, marked as holding no process; a namespace with members and
// a pin comes after it.
func TestPinnedRender(t *testing.T) {
	s := testSnapshot()
	blue := ns("net:[4026532999]")
	blue.Owner = s.Host[nsstate.NSUser]
	blue.Interfaces = []nsstate.Interface{{Name: "lo", Index: 1}}
	blue.Pinned = []nsstate.Pin{
		{How: nsstate.PinMount, Where: "/run/netns/blue", MountNS: s.Host[nsstate.NSMnt]},
		{How: nsstate.PinMount, Where: "/run/netns/blue", MountNS: "mnt:[4026532998]"},
	}
	s.Namespaces = append(s.Namespaces, blue)
	for i := range s.Namespaces {
		if s.Namespaces[i].ID == s.Host[nsstate.NSUTS] {
			s.Namespaces[i].Pinned = []nsstate.Pin{{How: nsstate.PinFD, Where: "PID 100 fd 3", PID: 100}}
		}
	}
	s.Sort()
	rows := buildPinned(s)
	if len(rows) != 2 || rows[0].ID != blue.ID || !rows[0].Empty || rows[1].Empty {
		t.Fatalf("pinned rows %+v: want blue (no process) first, then the lab host's UTS namespace", rows)
	}
	if len(rows[0].Pins) != 1 {
		t.Errorf("blue's pins %+v: want the mount point once", rows[0].Pins)
	}
	html := render(t, Views(s, ""))
	tag := rowWith(html, "data-ns-id", blue.ID)
	if !strings.Contains(tag, `data-empty="true"`) {
		t.Errorf("blue's row %q: want data-empty=\"true\"", tag)
	}
	for _, want := range []string{`data-pin-where="/run/netns/blue"`, "interfaces: lo down", `data-pin-where="PID 100 fd 3"`} {
		if !strings.Contains(html, want) {
			t.Errorf("views lack %s", want)
		}
	}
}
