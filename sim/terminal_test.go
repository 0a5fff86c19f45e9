package sim

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// screen collects a terminal's output.
type screen struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (s *screen) write(b []byte) {
	s.mu.Lock()
	s.buf.Write(b)
	s.mu.Unlock()
}

// take returns the output so far and forgets it.
func (s *screen) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.buf.String()
	s.buf.Reset()
	return out
}

func TestTerminal(t *testing.T) {
	l := labForTest(t)
	var scr screen
	term := l.NewTerminal(24, 80, scr.write)
	if got := scr.take(); got != "root@lab:~# " {
		t.Fatalf("first output %q, want the prompt", got)
	}
	term.Write([]byte("hostnamx\x7fe\r"))
	if got, want := scr.take(), "hostnamx\b \be\r\nlab\r\nroot@lab:~# "; got != want {
		t.Errorf("typing with a backspace: %q, want %q", got, want)
	}
	term.Write([]byte("cd /tmp; nosuch\r"))
	if got, want := scr.take(), "cd /tmp; nosuch\r\nbash: nosuch: command not found\r\nroot@lab:/tmp# "; got != want {
		t.Errorf("command not found: %q, want %q", got, want)
	}
	// ^C interrupts a foreground job; the shell prompts again.
	term.Write([]byte("sleep 100\r"))
	scr.take()
	term.Write([]byte{3})
	if got, want := scr.take(), "^C\r\nroot@lab:/tmp# "; got != want {
		t.Errorf("^C during sleep: %q, want %q", got, want)
	}
	// ^C at the prompt discards the line.
	term.Write([]byte("echo half\x03"))
	if got, want := scr.take(), "echo half^C\r\nroot@lab:/tmp# "; got != want {
		t.Errorf("^C at the prompt: %q, want %q", got, want)
	}
	// Simulated time passes only when the page says so.
	term.Write([]byte("sleep 2; echo woke\r"))
	scr.take()
	if d, ok := l.NextTimer(); !ok || d != 2*time.Second {
		t.Errorf("next timer %v %v, want 2s", d, ok)
	}
	l.Advance(2 * time.Second)
	if got, want := scr.take(), "woke\r\nroot@lab:/tmp# "; got != want {
		t.Errorf("after 2s: %q, want %q", got, want)
	}
	exited := -1
	term.OnExit(func(st int) { exited = st })
	term.Write([]byte("exit 3\r"))
	if exited != 3 {
		t.Errorf("exit status %d, want 3", exited)
	}
	term.Close()
}

func TestTerminalNestedShell(t *testing.T) {
	l := labForTest(t)
	var scr screen
	term := l.NewTerminal(24, 80, scr.write)
	scr.take()
	term.Write([]byte("unshare -Urpf --mount-proc\r"))
	if got, want := scr.take(), "unshare -Urpf --mount-proc\r\nroot@lab:~# "; got != want {
		t.Errorf("nested login shell: %q, want %q", got, want)
	}
	term.Write([]byte("echo $$\r"))
	if got, want := scr.take(), "echo $$\r\n1\r\nroot@lab:~# "; got != want {
		t.Errorf("PID in the nested shell: %q, want %q", got, want)
	}
	term.Write([]byte{4})
	if got, want := scr.take(), "exit\r\nroot@lab:~# "; got != want {
		t.Errorf("^D leaves the nested shell: %q, want %q", got, want)
	}
	term.Close()
}

func TestTerminalJobs(t *testing.T) {
	l := labForTest(t)
	var scr screen
	term := l.NewTerminal(24, 80, scr.write)
	scr.take()
	term.Write([]byte("sleep 1 &\r"))
	if got, want := scr.take(), "sleep 1 &\r\n[1] 101\r\nroot@lab:~# "; got != want {
		t.Errorf("background job: %q, want %q", got, want)
	}
	term.Write([]byte("sleep 100 &\r"))
	scr.take()
	l.Advance(time.Second)
	term.Write([]byte("kill %2\r"))
	if got, want := scr.take(), "kill %2\r\n[1]-  Done                    sleep 1\r\n[2]+  Terminated              sleep 100\r\nroot@lab:~# "; got != want {
		t.Errorf("job reports: %q, want %q", got, want)
	}
	// The up arrow recalls the last line.
	term.Write([]byte("echo x\r"))
	scr.take()
	term.Write([]byte("ab\x1b[A\r"))
	if got, want := scr.take(), "ab\b \b\b \becho x\r\nx\r\nroot@lab:~# "; got != want {
		t.Errorf("history: %q, want %q", got, want)
	}
	term.Close()
}

func TestTerminalInterruptsLoops(t *testing.T) {
	l := labForTest(t)
	var scr screen
	term := l.NewTerminal(24, 80, scr.write)
	scr.take()
	// An endless loop in the shell itself: Write returns after a bounded
	// amount of work, Pump says there is more, ^C ends it.
	term.Write([]byte("sleep 100 & while :; do :; done\r"))
	if !l.Pump(1000) {
		t.Fatal("Pump: nothing runnable during an endless loop")
	}
	scr.take()
	term.Write([]byte{3})
	if got, want := scr.take(), "^C\r\nroot@lab:~# "; got != want {
		t.Errorf("^C in a loop: %q, want %q", got, want)
	}
	if l.Pump(1000) {
		t.Error("still runnable after ^C")
	}
	// The background job was not interrupted.
	term.Write([]byte("cat\r"))
	term.Write([]byte{3})
	scr.take()
	term.Write([]byte("ps -o comm= | grep -c sleep\r"))
	if got, want := scr.take(), "ps -o comm= | grep -c sleep\r\n1\r\nroot@lab:~# "; got != want {
		t.Errorf("after ^C: %q, want %q", got, want)
	}
	term.Close()
}

func TestTerminalJobControl(t *testing.T) {
	l := labForTest(t)
	var scr screen
	term := l.NewTerminal(24, 80, scr.write)
	scr.take()
	term.Write([]byte("sleep 100 &\r"))
	term.Write([]byte("jobs\r"))
	if got, want := scr.take(), "sleep 100 &\r\n[1] 101\r\nroot@lab:~# jobs\r\n[1]+  Running                 sleep 100 &\r\nroot@lab:~# "; got != want {
		t.Errorf("jobs: %q, want %q", got, want)
	}
	term.Write([]byte("fg\r"))
	if got, want := scr.take(), "fg\r\nsleep 100\r\n"; got != want {
		t.Errorf("fg: %q, want %q", got, want)
	}
	term.Write([]byte{3})
	if got, want := scr.take(), "^C\r\nroot@lab:~# "; got != want {
		t.Errorf("^C after fg: %q, want %q", got, want)
	}
	term.Close()
}

func TestPromptKeepsStartupHostname(t *testing.T) {
	// bash reads the host name for \h once, when it starts.
	l := labForTest(t)
	var scr screen
	term := l.NewTerminal(24, 80, scr.write)
	scr.take()
	term.Write([]byte("unshare -u\r"))
	term.Write([]byte("hostname box\r"))
	if got, want := scr.take(), "unshare -u\r\nroot@lab:~# hostname box\r\nroot@lab:~# "; got != want {
		t.Errorf("after hostname: %q, want %q", got, want)
	}
	term.Write([]byte("bash\r"))
	if got, want := scr.take(), "bash\r\nroot@box:~# "; got != want {
		t.Errorf("a new shell: %q, want %q", got, want)
	}
	term.Close()
}

// On a terminal, procps cuts ps lines to the terminal's width (the heading
// stays whole); through a pipe they are whole, and w lifts the limit.
func TestPsTerminalWidth(t *testing.T) {
	l := labForTest(t)
	var scr screen
	term := l.NewTerminal(24, 30, scr.write)
	scr.take()
	cmd := "unshare -pf --mount-proc sh -c 'ps -o pid,args; ps -o pid,args | cat; ps w -o pid,args; true'"
	term.Write([]byte(cmd + "\r"))
	got := strings.Split(scr.take(), "\r\n")
	want := []string{
		cmd,
		"    PID COMMAND",
		"      1 sh -c ps -o pid,args; ",
		"      2 ps -o pid,args",
		"    PID COMMAND",
		"      1 sh -c ps -o pid,args; ps -o pid,args | cat; ps w -o pid,args; true",
		"      3 ps -o pid,args",
		"      4 cat",
		"    PID COMMAND",
		"      1 sh -c ps -o pid,args; ps -o pid,args | cat; ps w -o pid,args; true",
		"      5 ps w -o pid,args",
		"root@lab:~# ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ps on a 30-column terminal:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// ^C reaches the whole foreground job: dash running a -c string catches
// SIGINT and, once its child is gone, dies of it (status 130); with a trap
// it runs the trap and carries on.
func TestCtrlCDashString(t *testing.T) {
	l := labForTest(t)
	var scr screen
	term := l.NewTerminal(24, 80, scr.write)
	scr.take()
	for _, c := range []struct{ cmd, want string }{
		{"sh -c 'sleep 100; echo not'; echo st=$?", "^C\r\nst=130\r\nroot@lab:~# "},
		{`sh -c 'trap "echo trapped" INT; sleep 100; echo after'; echo st=$?`, "^C\r\ntrapped\r\nafter\r\nst=0\r\nroot@lab:~# "},
	} {
		term.Write([]byte(c.cmd + "\r"))
		scr.take()
		term.Write([]byte{3})
		for i := 0; i < 3; i++ {
			l.Pump(100000)
			l.Advance(time.Second)
		}
		if got := scr.take(); got != c.want {
			t.Errorf("^C during %s: %q, want %q", c.cmd, got, c.want)
		}
	}
}
