package main

import "testing"

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "64K": 64 << 10, "256M": 256 << 20, "2g": 2 << 30} {
		if got, err := parseBytes(in); got != want || err != nil {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "M", "-5", "0", "lots", "99999999999G"} {
		if got, err := parseBytes(in); err == nil {
			t.Errorf("%q: %d, want an error", in, got)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for _, n := range []int64{1, 1000, 64 << 10, 256 << 20, 3 << 30, 1<<20 + 1} {
		if got, err := parseBytes(formatBytes(n)); got != n || err != nil {
			t.Errorf("parseBytes(formatBytes(%d) = %q) = %d, %v", n, formatBytes(n), got, err)
		}
	}
	if got := formatBytes(256 << 20); got != "256M" {
		t.Errorf("formatBytes(256 MiB) = %q, want 256M", got)
	}
}
