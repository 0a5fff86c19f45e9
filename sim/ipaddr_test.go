package sim

import "testing"

func TestIPAddr(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" for an error
	}{
		{"10.0.0.1/24", "10.0.0.1/24"}, {"10.0.0.1", "10.0.0.1/32"}, {"::1/128", "::1/128"},
		{"10.0.0.256/24", ""}, {"10.0.0/24", ""}, {"10.0.0.1/33", ""}, {"bad", ""}, {"010.0.0.1", ""},
	} {
		p, err := parseIPPrefix(c.in)
		got := ""
		if err == nil {
			got = p.String()
		}
		if got != c.want {
			t.Errorf("parseIPPrefix(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	p, _ := parseIPPrefix("192.168.15.7/24")
	if m := p.Masked().String(); m != "192.168.15.0/24" {
		t.Errorf("masked %s, want 192.168.15.0/24", m)
	}
	if a, _ := parseAddr("192.168.15.200"); !p.Contains(a) {
		t.Errorf("%s does not contain %s", p, a)
	}
	for mac, want := range map[string]string{
		"ba:ad:5a:dd:be:e5": "fe80::b8ad:5aff:fedd:bee5/64",
		"02:00:5e:00:00:01": "fe80::5eff:fe00:1/64",
		"42:a0:06:ac:3e:1e": "fe80::40a0:6ff:feac:3e1e/64",
	} {
		if got := linkLocal(mac); got != want {
			t.Errorf("linkLocal(%s) = %s, want %s", mac, got, want)
		}
	}
}
