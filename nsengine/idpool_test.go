//go:build linux

package nsengine

import (
	"reflect"
	"testing"
)

func TestIDPoolReserve(t *testing.T) {
	const base = 1_000_000
	p := &idPool{base: base, slots: 4, taken: map[int]bool{}}
	p.reserve(base+idRangeSize+5, 1)      // a user inside slot 1
	p.reserve(base+3*idRangeSize-1, 2)    // a range across slots 2 and 3
	p.reserve(0, base)                    // everything below the pool
	p.reserve(base+10*idRangeSize, 1<<20) // everything above it
	p.reserve(base+4*idRangeSize-1, 0)    // an empty range
	if want := map[int]bool{1: true, 2: true, 3: true}; !reflect.DeepEqual(p.taken, want) {
		t.Errorf("taken %v, want %v", p.taken, want)
	}
	if got := p.idBase(2); got != base+2*idRangeSize {
		t.Errorf("idBase(2) = %d", got)
	}
}

func TestIDPoolSkipsTakenAndHeldSlots(t *testing.T) {
	p, err := newIDPool(t.TempDir(), DefaultIDPoolBase, 3)
	if err != nil {
		t.Fatal(err)
	}
	p.taken[0] = true
	a, err := p.acquire()
	if err != nil || a.slot != 1 {
		t.Fatalf("first slot %v, %v; want 1", a, err)
	}
	b, err := p.acquire()
	if err != nil || b.slot != 2 {
		t.Fatalf("second slot %v, %v; want 2", b, err)
	}
	if c, err := p.acquire(); err == nil {
		t.Errorf("a full pool gave slot %d", c.slot)
	}
	a.release()
	// The search goes on after slot 2, round to the freed slot 1.
	if c, err := p.acquire(); err != nil || c.slot != 1 {
		t.Errorf("after release: %v, %v; want slot 1", c, err)
	}
}

func TestNewIDPoolRejectsOverflow(t *testing.T) {
	if _, err := newIDPool(t.TempDir(), 4_000_000_000, 10_000); err == nil {
		t.Error("a pool past the largest ID: no error")
	}
}
