package sim

import (
	"errors"
	"io"
	"time"

	"github.com/nslab/nslab/nsstate"
)

// tty is a simulated terminal in canonical mode: the line discipline
// (echo, erase, ^C, ^D) runs in Terminal.Write; programs read whole lines.
type tty struct {
	in     []byte // completed lines, ready to read
	eof    bool
	intr   bool
	closed bool
	out    func([]byte)
	// cols is the terminal's width, which ps cuts its lines to.
	cols int
	// readers are the tasks waiting for a line.
	readers map[*Task]bool
}

// errInterrupted is what a read returns when ^C discards the line.
var errInterrupted = errors.New("interrupted")

func (y *tty) read(t *Task, p []byte) (int, error) {
	if y.readers == nil {
		y.readers = map[*Task]bool{}
	}
	y.readers[t] = true
	defer delete(y.readers, t)
	t.block(func() bool { return len(y.in) > 0 || y.eof || y.intr || y.closed }, 0)
	if y.intr {
		y.intr = false
		return 0, errInterrupted
	}
	if len(y.in) == 0 {
		y.eof = false
		return 0, io.EOF
	}
	n := copy(p, y.in)
	y.in = y.in[n:]
	return n, nil
}

// output writes program output, turning \n into \r\n as ONLCR does.
func (y *tty) output(p []byte) {
	if y.out == nil || y.closed {
		return
	}
	out := make([]byte, 0, len(p)+8)
	for _, c := range p {
		if c == '\n' {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	y.out(out)
}

// Terminal is an interactive session on the lab host: a login shell
// (bash) on a simulated terminal.
type Terminal struct {
	lab   *Lab
	tty   *tty
	shell *Task
	line  []byte
	esc   int // where in an escape sequence the input is (0: none)
	// history holds the lines entered, for the arrow keys; histAt is the
	// one shown (len(history): the line being typed).
	history []string
	histAt  int
	rows    int
	cols    int
	status  int
	exited  bool
	onExit  func(status int)
}

// NewTerminal starts a login shell in the lab host on a new terminal.
// output receives everything the terminal shows; it is called while the
// lab is busy and must not call back into the lab.
func (l *Lab) NewTerminal(rows, cols int, output func([]byte)) *Terminal {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.k
	term := &Terminal{lab: l, rows: rows, cols: cols, tty: &tty{out: output, cols: cols}}
	t, err := k.fork(k.labInit)
	if err != nil {
		return term
	}
	t.cwd = "/root"
	t.env = nsstate.LabEnv()
	t.handled = map[int]bool{SIGINT: true}
	f := &File{refs: 3, tty: term.tty}
	t.fds[0], t.fds[1], t.fds[2] = f, f, f
	t.pgid, t.sid, t.ttyName = t.PID(), t.PID(), "pts/0"
	term.shell = t
	k.startTask(t, func(t *Task) int {
		file, node, err := k.findExecutable(t, "bash")
		if err != nil {
			return 127
		}
		k.execve(t, file, node, []string{"-bash"})
		return 126
	})
	term.settle()
	return term
}

// OnExit sets a function called when the terminal's shell exits.
func (term *Terminal) OnExit(f func(status int)) { term.onExit = f }

// Resize records the terminal's size.
func (term *Terminal) Resize(rows, cols int) {
	term.lab.mu.Lock()
	term.rows, term.cols = rows, cols
	term.tty.cols = cols
	term.lab.mu.Unlock()
}

// Write feeds keyboard input to the terminal: printable characters are
// echoed and collected, Backspace erases, Enter hands the line to the
// shell, ^C interrupts, ^D at the start of a line ends input, ^U erases
// the line.
func (term *Terminal) Write(input []byte) {
	l := term.lab
	l.mu.Lock()
	defer l.mu.Unlock()
	y := term.tty
	for _, c := range input {
		if term.esc > 0 {
			// CSI sequences: ESC [ params final. Up and down walk the
			// history; the others are ignored.
			if term.esc == 2 && c == '[' || term.esc == 1 && (c < 0x40 || c > 0x7e) {
				term.esc = 1
				continue
			}
			term.esc = 0
			switch c {
			case 'A':
				term.recall(-1)
			case 'B':
				term.recall(+1)
			}
			continue
		}
		switch c {
		case 0x1b:
			term.esc = 2
		case '\r', '\n':
			y.output([]byte("\n"))
			y.in = append(y.in, term.line...)
			y.in = append(y.in, '\n')
			if len(term.line) > 0 && len(term.history) < maxHistory {
				term.history = append(term.history, string(term.line))
			}
			term.histAt = len(term.history)
			term.line = term.line[:0]
			term.settle()
		case 0x7f, 0x08:
			if len(term.line) > 0 {
				term.line = term.line[:len(term.line)-1]
				y.output([]byte("\b \b"))
			}
		case 0x03:
			y.output([]byte("^C\n"))
			term.line = term.line[:0]
			term.interrupt()
			term.settle()
		case 0x04:
			if len(term.line) == 0 {
				y.eof = true
				term.settle()
			}
		case 0x15:
			for range term.line {
				y.output([]byte("\b \b"))
			}
			term.line = term.line[:0]
		case '\t':
		default:
			// A canonical-mode line holds at most 4095 bytes
			// (N_TTY_BUF_SIZE); more are dropped.
			if c >= 0x20 && len(term.line) < 4095 {
				term.line = append(term.line, c)
				y.output([]byte{c})
			}
		}
	}
}

// maxHistory bounds the lines a terminal remembers.
const maxHistory = 1000

// recall replaces the line being typed with an earlier (-1) or later (+1)
// one of the history.
func (term *Terminal) recall(dir int) {
	at := term.histAt + dir
	if at < 0 || at > len(term.history) {
		return
	}
	term.histAt = at
	erase := make([]byte, 0, 3*len(term.line))
	for range term.line {
		erase = append(erase, '\b', ' ', '\b')
	}
	term.line = term.line[:0]
	if at < len(term.history) {
		term.line = append(term.line, term.history[at]...)
	}
	term.tty.output(append(erase, term.line...))
}

// interrupt is ^C: SIGINT for the terminal's foreground, the processes of
// its session that are not background jobs. An interactive shell waiting
// for its command ignores it (bash does), one reading a line discards the
// line and prompts again, one running a command line abandons it.
func (term *Terminal) interrupt() {
	k := term.lab.k
	sh := term.shell
	if sh == nil || sh.exited {
		return
	}
	for t := range term.tty.readers {
		if t.onSignal != nil {
			term.tty.intr = true
		}
	}
	for _, t := range k.tasks {
		if t.exited || t.sid != sh.sid || t.pgid != sh.pgid {
			continue
		}
		if t.interactiveShell && t.waitCond != nil {
			continue
		}
		t.sendSignal(SIGINT)
	}
}

// settleSteps bounds the work one keystroke may cause before Write
// returns to the page; Pump carries on.
const settleSteps = 200_000

// settle runs the lab until nothing can run without the clock moving, or
// for settleSteps.
func (term *Terminal) settle() {
	k := term.lab.k
	k.schedule(func() bool { return false }, false, settleSteps)
	term.checkExit()
}

// checkExit tells the page once the terminal's shell has exited.
func (term *Terminal) checkExit() {
	if term.shell != nil && term.shell.exited && !term.exited {
		term.exited = true
		term.status = exitStatusOf(term.shell.status)
		if term.onExit != nil {
			term.onExit(term.status)
		}
	}
}

// Close hangs the terminal up: its shell and jobs get SIGHUP.
func (term *Terminal) Close() {
	l := term.lab
	l.mu.Lock()
	defer l.mu.Unlock()
	term.tty.closed = true
	if term.shell != nil && !term.shell.exited {
		term.shell.sendSignal(SIGHUP)
	}
	term.settle()
}

// Advance moves the lab's clock forward by d, running whatever wakes up
// meanwhile (sleeping commands finish). A page calls it from a timer so
// that the terminal's time passes in real time.
func (l *Lab) Advance(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.k
	end := k.now + int64(d)
	for {
		k.schedule(func() bool { return false }, false, maxRunSteps)
		next := k.nextTimer()
		if next == 0 || next > end {
			break
		}
		if next > k.now {
			k.now = next
		}
	}
	if end > k.now {
		k.now = end
	}
}

// NextTimer says how long until the next sleeping process wakes, and
// false when none sleeps.
func (l *Lab) NextTimer() (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := l.k.nextTimer()
	if next == 0 {
		return 0, false
	}
	return time.Duration(next - l.k.now), true
}

// Pump runs the lab's runnable processes for at most steps scheduling
// steps and reports whether some can still run. A page calls it again
// (from a timer) while it reports true, so that a long computation does
// not freeze it.
func (l *Lab) Pump(steps int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.k
	k.schedule(func() bool { return false }, false, steps)
	return k.nextRunnable() != nil
}
