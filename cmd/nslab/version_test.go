package main

import "testing"

// version takes no arguments: an extra one is a mistake, said with exit
// status 2 as for any other command's bad usage.
func TestVersionRefusesArguments(t *testing.T) {
	v := commands["version"].run
	for _, args := range [][]string{{"extra"}, {"--json"}, {"a", "b"}} {
		if got := v(args); got != 2 {
			t.Errorf("nslab version %q: exit %d, want 2", args, got)
		}
	}
	if got := v([]string{"-h"}); got != 0 {
		t.Errorf("nslab version -h: exit %d, want 0", got)
	}
	if got := v(nil); got != 0 {
		t.Errorf("nslab version: exit %d, want 0", got)
	}
}
