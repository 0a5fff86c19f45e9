package sim

import (
	"bytes"
	"testing"
)

func runLab(t *testing.T, l *Lab, cmd string) (string, string, int) {
	t.Helper()
	var o, e bytes.Buffer
	st := l.Run(cmd, &o, &e)
	return o.String(), e.String(), st
}

func TestSmoke(t *testing.T) {
	l := NewLab(Options{})
	defer l.Close()
	o, e, st := runLab(t, l, `echo hello; echo $$ $PPID; foo; echo "a b" 'c'; x=3; echo $((x+1)); (echo sub); echo $(echo cs)`)
	t.Logf("out=%q err=%q st=%d", o, e, st)
}
