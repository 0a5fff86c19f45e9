package server

import (
	"bytes"
	"testing"
)

func TestRingKeepsTheLastBytes(t *testing.T) {
	var all []byte
	r := newRing(8)
	for i, w := range []string{"", "ab", "cdef", "ghij", "k", "lmnopqrstuv", "w", "xyz"} {
		r.Write([]byte(w))
		all = append(all, w...)
		want := all[max(0, len(all)-8):]
		if got := r.Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("after write %d (%q): ring holds %q, want %q", i, w, got, want)
		}
	}
}
