//go:build linux

package nsengine

import "testing"

func TestLimits(t *testing.T) {
	d := DefaultLimits()
	if got := (Limits{}).withDefaults(); got != d {
		t.Errorf("zero limits: %+v, want the defaults %+v", got, d)
	}
	if err := d.validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
	// Files default to a quarter of a smaller memory.
	if got := (Limits{MemoryBytes: 32 << 20}).withDefaults().TmpfsBytes; got != 8<<20 {
		t.Errorf("tmpfs for 32 MiB of memory: %d", got)
	}
	for name, l := range map[string]Limits{
		"few pids":        {Pids: 2, MemoryBytes: d.MemoryBytes, CPU: 1, TmpfsBytes: d.TmpfsBytes, DiskBytesPerSecond: d.DiskBytesPerSecond, DiskIOPS: d.DiskIOPS},
		"little memory":   {Pids: 100, MemoryBytes: 1 << 20, CPU: 1, TmpfsBytes: 64 << 10, DiskBytesPerSecond: d.DiskBytesPerSecond, DiskIOPS: d.DiskIOPS},
		"no cpu":          {Pids: 100, MemoryBytes: d.MemoryBytes, CPU: 0.001, TmpfsBytes: d.TmpfsBytes, DiskBytesPerSecond: d.DiskBytesPerSecond, DiskIOPS: d.DiskIOPS},
		"files past half": {Pids: 100, MemoryBytes: 64 << 20, CPU: 1, TmpfsBytes: 33 << 20, DiskBytesPerSecond: d.DiskBytesPerSecond, DiskIOPS: d.DiskIOPS},
		"slow disk":       {Pids: 100, MemoryBytes: d.MemoryBytes, CPU: 1, TmpfsBytes: d.TmpfsBytes, DiskBytesPerSecond: 1000, DiskIOPS: d.DiskIOPS},
		"few disk ops":    {Pids: 100, MemoryBytes: d.MemoryBytes, CPU: 1, TmpfsBytes: d.TmpfsBytes, DiskBytesPerSecond: d.DiskBytesPerSecond, DiskIOPS: 1},
	} {
		if err := l.validate(); err == nil {
			t.Errorf("%s: %+v valid", name, l)
		}
	}
}
