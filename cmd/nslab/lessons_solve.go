package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/sim"
)

// solveLab is a fresh lab a lesson is solved in, live or simulated: one
// terminal with the learner's shell, and checks that run apart from it.
type solveLab interface {
	// Type sends keystrokes to the learner's terminal.
	Type(s string) error
	// WaitFor waits until the terminal has shown want since the last
	// WaitFor, for at most d (of the lab's time).
	WaitFor(want string, d time.Duration) bool
	// Output is what the terminal showed so far.
	Output() string
	// Check runs script with bash as lab root in the lab host, apart from
	// the terminal, bounded by lesson.CheckTimeout and
	// lesson.CheckOutputLimit; timedOut says it was cut off.
	Check(script string) (status int, out string, timedOut bool, err error)
	// Background starts script with bash, unseen, and returns at once.
	Background(script string) error
	// Pause lets d of the lab's time pass.
	Pause(d time.Duration)
	// Quiet waits until the terminal has shown nothing new for a moment
	// (a command started and is waiting), for at most d.
	Quiet(d time.Duration)
	Close() error
}

// Bounds of solving: how long one step's commands may take to come back
// to a prompt, and how long its check may take to pass after that.
const (
	solveCommandWait = 30 * time.Second
	solveTickWait    = 10 * time.Second
	solvePoll        = 200 * time.Millisecond
)

// lessonsSolve is `nslab lessons solve [--sim] [--lessons DIR] NAME`.
func lessonsSolve(args []string) int {
	fs := flag.NewFlagSet("lessons solve", flag.ContinueOnError)
	simulated := fs.Bool("sim", false, "solve in a simulated lab host instead of a live one")
	dir := fs.String("lessons", "", "look the lesson up in `DIR` (a folder of lesson folders) too")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		lessonsErrorf("solve needs one lesson name: nslab lessons solve [--sim] [--lessons DIR] NAME")
		return 2
	}
	name := fs.Arg(0)
	ls, msgs := allLessons(*dir)
	var l *lesson.Lesson
	for _, c := range ls {
		if c.Name == name {
			l = c
		}
	}
	if l == nil {
		for _, m := range msgs {
			fmt.Fprintln(os.Stderr, m)
		}
		lessonsErrorf("no valid lesson named %q (see nslab lessons list)", name)
		return 1
	}
	var lab solveLab
	var err error
	if *simulated {
		lab = newSimSolveLab()
	} else {
		lab, err = newLiveSolveLab()
		if err != nil {
			lessonsErrorf("%v", err)
			return 1
		}
	}
	ok := solveLesson(l, lab, os.Stdout)
	if err := lab.Close(); err != nil {
		lessonsErrorf("end the lab: %v", err)
		return 1
	}
	if !ok {
		return 1
	}
	return 0
}

// solveLesson runs l end to end in lab as a learner clicking every
// {{exec}} block would, printing per step what ran and whether it
// ticked. It stops at the first step that does not tick, since later
// steps build on it.
func solveLesson(l *lesson.Lesson, lab solveLab, out io.Writer) bool {
	fmt.Fprintf(out, "lesson %s: %s\n", l.Name, l.Title)
	marks := 0
	// settle types a marker after what was typed and waits for the
	// terminal to print it, so that what ran before has come back to a
	// prompt.
	settle := func() bool {
		marks++
		if err := lab.Type(fmt.Sprintf("echo NSLAB-\"\"DONE-%d\r", marks)); err != nil {
			fmt.Fprintf(out, "  terminal: %v\n", err)
			return false
		}
		return lab.WaitFor(fmt.Sprintf("NSLAB-DONE-%d", marks), solveCommandWait)
	}
	open := func(p *lesson.Part, what string) bool {
		if !p.Background.IsZero() {
			fmt.Fprintf(out, "  %s: background %s started\n", what, p.Background.File)
			if err := lab.Background(p.Background.Body); err != nil {
				fmt.Fprintf(out, "  %s: background: %v\n", what, err)
				return false
			}
		}
		if !p.Foreground.IsZero() {
			fmt.Fprintf(out, "  %s: foreground %s typed\n", what, p.Foreground.File)
			for _, line := range strings.Split(strings.TrimRight(p.Foreground.Body, "\n"), "\n") {
				if strings.HasPrefix(line, "#!") {
					continue
				}
				if err := lab.Type(line + "\r"); err != nil {
					return false
				}
			}
			if !settle() {
				fmt.Fprintf(out, "  %s: foreground %s did not come back to a prompt in %s\n", what, p.Foreground.File, solveCommandWait)
				return false
			}
		}
		return true
	}
	if l.Intro != nil && !open(l.Intro, "intro") {
		return false
	}
	all := true
	for i, s := range l.Steps {
		fmt.Fprintf(out, "step %d: %s\n", i+1, s.Title)
		if !open(s, fmt.Sprintf("step %d", i+1)) {
			return false
		}
		ran := 0
		if s.Text != nil {
			for _, c := range s.Text.Commands {
				if c.Action != lesson.ActionExec {
					continue
				}
				if c.Interrupt {
					lab.Type("\x03")
				}
				for _, line := range strings.Split(c.Text, "\n") {
					fmt.Fprintf(out, "  $ %s\n", line)
					if err := lab.Type(line + "\r"); err != nil {
						fmt.Fprintf(out, "  terminal: %v\n", err)
						return false
					}
					// A line typed while the previous one starts a
					// shell can be lost as that shell sets the terminal
					// up, so each line waits for the last to settle.
					lab.Quiet(solveCommandWait)
				}
				ran++
			}
		}
		if ran == 0 && !s.Solve.IsZero() {
			// No command to click: the step's solve script does what a
			// learner would, as "skip" does.
			fmt.Fprintf(out, "  solve %s\n", s.Solve.File)
			if st, o, _, err := lab.Check(s.Solve.Body); err != nil || st != 0 {
				fmt.Fprintf(out, "  solve %s failed (status %d, %v): %s\n", s.Solve.File, st, err, o)
				return false
			}
		}
		if !settle() {
			fmt.Fprintf(out, "  the commands did not come back to a prompt in %s; the terminal shows:\n%s\n", solveCommandWait, tail(lab.Output(), 1500))
			return false
		}
		if s.Verify.IsZero() {
			fmt.Fprintf(out, "  ticked (no verify script)\n")
			continue
		}
		ticked, last := false, ""
		var waited time.Duration
		for waited <= solveTickWait {
			st, o, timedOut, err := lab.Check(s.Verify.Body)
			if err != nil {
				fmt.Fprintf(out, "  check %s: %v\n", s.Verify.File, err)
				return false
			}
			if timedOut {
				last = "cut off: it ran too long"
			} else {
				last = fmt.Sprintf("exit status %d", st)
			}
			if o != "" {
				last += ", output: " + strings.TrimSpace(o)
			}
			if st == 0 && !timedOut {
				ticked = true
				break
			}
			lab.Pause(solvePoll)
			waited += solvePoll
		}
		if !ticked {
			fmt.Fprintf(out, "  did not tick: %s (%s); the terminal shows:\n%s\n", s.Verify.File, last, tail(lab.Output(), 1500))
			all = false
			break
		}
		fmt.Fprintf(out, "  ticked\n")
	}
	if all && l.Finish != nil && !open(l.Finish, "finish") {
		return false
	}
	if all {
		fmt.Fprintf(out, "lesson %s: every step ticked\n", l.Name)
	}
	return all
}

func tail(s string, n int) string {
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}

// termOutput collects what a terminal shows, for WaitFor.
type termOutput struct {
	mu   sync.Mutex
	last time.Time // when output last came
	buf  strings.Builder
	seen int // WaitFor looks from here
}

func (t *termOutput) write(b []byte) {
	t.mu.Lock()
	t.buf.Write(b)
	t.last = time.Now()
	t.mu.Unlock()
}

// find reports whether want shows after what was seen, and moves past it.
func (t *termOutput) find(want string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.buf.String()
	if i := strings.Index(s[t.seen:], want); i >= 0 {
		t.seen += i + len(want)
		return true
	}
	return false
}

// since returns how long the terminal has been quiet.
func (t *termOutput) since() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return time.Since(t.last)
}

func (t *termOutput) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// simSolveLab is a simulated lab host: the terminal is sim's, checks run
// as Lab.RunArgv does, and the lab's time is the simulated clock.
type simSolveLab struct {
	lab          *sim.Lab
	term         *sim.Terminal
	out          termOutput
	checkTimeout time.Duration // of simulated time
}

func newSimSolveLab() *simSolveLab {
	s := &simSolveLab{lab: sim.NewLab(sim.Options{}), checkTimeout: lesson.CheckTimeout}
	s.term = s.lab.NewTerminal(24, 120, s.out.write)
	return s
}

func (s *simSolveLab) Type(text string) error {
	s.term.Write([]byte(text))
	s.pump()
	return nil
}

// pump lets the lab run until it waits for input or time.
func (s *simSolveLab) pump() {
	for i := 0; i < 1000 && s.lab.Pump(100000); i++ {
	}
}

func (s *simSolveLab) WaitFor(want string, d time.Duration) bool {
	var waited time.Duration
	for {
		s.pump()
		if s.out.find(want) {
			return true
		}
		next, ok := s.lab.NextTimer()
		if !ok || waited+next > d {
			return false
		}
		s.lab.Advance(next)
		waited += next
	}
}

func (s *simSolveLab) Output() string { return s.out.String() }

func (s *simSolveLab) Check(script string) (int, string, bool, error) {
	out := &limitedBuffer{n: lesson.CheckOutputLimit}
	st, timedOut := s.lab.RunBounded([]string{"bash", "-c", script}, nil, out, out, s.checkTimeout)
	return st, out.String(), timedOut, nil
}

func (s *simSolveLab) Background(script string) error {
	s.lab.RunArgv([]string{"sh", "-c", "bash -c \"$0\" >/dev/null 2>&1 &", script}, nil, io.Discard, io.Discard)
	return nil
}

func (s *simSolveLab) Pause(d time.Duration) {
	s.lab.Advance(d)
	s.pump()
}

// Quiet is immediate: Type already ran the lab until it waits.
func (s *simSolveLab) Quiet(time.Duration) {}

func (s *simSolveLab) Close() error {
	s.term.Close()
	s.lab.Close()
	return nil
}
