package main

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/protocol"
	"github.com/nslab/nslab/web"
)

// simLesson is the page's lesson in the simulator, run as the server runs
// a live lab's: checks through sim.Lab.RunBounded when the state changed
// (a new snapshot differs, or the terminal was used), paced by
// lesson.Scheduler; progress ticked and told to the page with the same
// messages. The lab is busy with a check from start to end, so no
// snapshot, and so no view, ever holds a check's processes.
type simLesson struct {
	r         *lesson.Rendered
	progress  *lesson.Progress
	sched     lesson.Scheduler
	opened    int      // steps whose scripts have started
	fgPending [][]byte // foreground scripts waiting for terminal 0
}

// startLesson opens l: the panel message, the intro's and the first
// step's scripts. Called with s.mu held.
func (s *session) startLesson(l *lesson.Rendered) {
	s.lesson = &simLesson{r: l, progress: lesson.NewProgress(len(l.Steps))}
	if l.Intro != nil {
		s.openPart(l.Intro)
	}
	s.openCurrent()
	s.lesson.sched.Changed(time.Now())
	var b bytes.Buffer
	if err := web.LessonPanel(web.NewLessonView(l, s.lesson.progress)).Render(context.Background(), &b); err != nil {
		s.push(protocol.Error{Type: "error", Message: "render the lesson: " + err.Error()})
		return
	}
	s.push(protocol.Lesson{Type: "lesson", Name: l.Name, HTML: b.String(), Steps: len(l.Steps),
		Done: s.lesson.progress.DoneSteps(), Current: 1})
}

// lessonChanged records that the lab changed, for the check's schedule.
func (s *session) lessonChanged() {
	if s.lesson != nil {
		s.lesson.sched.Changed(time.Now())
	}
}

// lessonDue runs the current step's check if the schedule says so, and
// ticks the step when it passes. Called with s.mu held.
func (s *session) lessonDue(now time.Time) {
	sl := s.lesson
	if sl == nil || sl.progress.Finished() || !sl.sched.Due(now) {
		return
	}
	step := sl.progress.Current()
	sl.sched.Started()
	passed := true
	if v := sl.r.Steps[step].Verify; v != "" {
		out := &boundedOutput{limit: lesson.CheckOutputLimit}
		status, timedOut := s.lab.RunBounded([]string{"bash", "-c", v}, nil, out, out, lesson.CheckTimeout)
		passed = status == 0 && !timedOut
		if timedOut {
			// For the lesson's author, in the browser's console; the
			// learner only sees the step not tick.
			println("nslab: lesson", sl.r.Name, "step", step+1, "check cut off: it ran longer than", lesson.CheckTimeout.String())
		}
	}
	sl.sched.Finished(time.Now())
	if !passed {
		return
	}
	sl.progress.Tick(step)
	s.push(protocol.Progress{Type: "progress", Lesson: sl.r.Name, Step: step + 1,
		Done: sl.progress.DoneSteps(), Current: sl.progress.Current() + 1})
	sl.sched.Changed(time.Now())
	if sl.progress.Finished() {
		if sl.r.Finish != nil {
			s.openPart(sl.r.Finish)
		}
		return
	}
	s.openCurrent()
}

// openCurrent starts the current step's scripts, once per step.
func (s *session) openCurrent() {
	sl := s.lesson
	cur := sl.progress.Current()
	if cur >= len(sl.r.Steps) || cur < sl.opened {
		return
	}
	sl.opened = cur + 1
	s.openPart(sl.r.Steps[cur])
}

// openPart starts a part's background script unseen and types its
// foreground script into terminal 0 (once it opens).
func (s *session) openPart(p *lesson.RenderedPart) {
	if p.Background != "" {
		s.lab.RunArgv([]string{"sh", "-c", "bash -c \"$0\" >/dev/null 2>&1 &", p.Background}, nil, discard{}, discard{})
	}
	if p.Foreground != "" {
		var typed bytes.Buffer
		for _, line := range strings.Split(strings.TrimRight(p.Foreground, "\n"), "\n") {
			if !strings.HasPrefix(line, "#!") {
				typed.WriteString(line + "\r")
			}
		}
		s.lesson.fgPending = append(s.lesson.fgPending, typed.Bytes())
		s.typeForeground()
	}
}

// typeForeground types waiting foreground scripts into terminal 0 if it
// is open.
func (s *session) typeForeground() {
	if s.lesson == nil || s.term[0] == nil {
		return
	}
	for _, p := range s.lesson.fgPending {
		s.term[0].Write(p)
	}
	s.lesson.fgPending = nil
}

// boundedOutput keeps a check's first limit bytes.
type boundedOutput struct {
	buf   bytes.Buffer
	limit int
}

func (o *boundedOutput) Write(p []byte) (int, error) {
	o.buf.Write(p[:min(len(p), o.limit-o.buf.Len())])
	return len(p), nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
