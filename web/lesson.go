package web

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/nslab/nslab/lesson"
)

// LessonItem is a lesson in a picker.
type LessonItem struct {
	Name, Title, Description string
}

// LessonView is a lesson's panel: its parts rendered to sanitized HTML by
// package lesson (on the server or at export), and which steps are done.
// NewLessonView makes it from lesson.Rendered, for the server and the
// simulator alike; package lesson has no Markdown renderer the wasm would
// carry for it (Render runs on the server or at export).
type LessonView struct {
	Name, Title string
	Intro       *LessonPart
	Steps       []LessonPart
	Finish      *LessonPart
	// Done[i] says step i+1 has ticked.
	Done []bool
}

// NewLessonView turns a rendered lesson and its progress into the
// panel's view model.
func NewLessonView(r *lesson.Rendered, p *lesson.Progress) LessonView {
	part := func(rp *lesson.RenderedPart) *LessonPart {
		if rp == nil {
			return nil
		}
		wp := &LessonPart{Title: rp.Title, HTML: rp.HTML, View: rp.View}
		for _, h := range rp.Highlight {
			wp.Highlight = append(wp.Highlight, h.Key+":"+h.Value)
		}
		return wp
	}
	v := LessonView{Name: r.Name, Title: r.Title, Intro: part(r.Intro), Finish: part(r.Finish)}
	for i, s := range r.Steps {
		v.Steps = append(v.Steps, *part(s))
		v.Done = append(v.Done, p.Done(i))
	}
	return v
}

// LessonPart is the intro, a step or the finish page of a lesson.
type LessonPart struct {
	Title string
	// HTML is sanitized by package lesson; it is inserted as it is.
	HTML string
	// View is the view the part points at ("pids", "users", …) or "".
	View string
	// Highlight is KEY:VALUE pairs of rows to mark in the views.
	Highlight []string
}

// current returns the first step not done (0-based), len(Steps) when
// every step is done.
func (v LessonView) current() int {
	for i := range v.Steps {
		if i >= len(v.Done) || !v.Done[i] {
			return i
		}
	}
	return len(v.Steps)
}

func (v LessonView) doneCount() int {
	n := 0
	for _, d := range v.Done {
		if d {
			n++
		}
	}
	return n
}

func (v LessonView) progressText() string {
	return strconv.Itoa(v.doneCount()) + " of " + strconv.Itoa(len(v.Steps)) + " steps done"
}

// stepAttrs are a step's data attributes: the contracts data-step (1-based)
// and data-done="true" once ticked, and what the page's script needs to
// point at the step's view.
func (v LessonView) stepAttrs(i int) templ.Attributes {
	s := v.Steps[i]
	a := templ.Attributes{"data-step": strconv.Itoa(i + 1)}
	if i < len(v.Done) && v.Done[i] {
		a["data-done"] = "true"
	}
	if i == v.current() {
		a["data-current"] = "true"
	}
	if s.View != "" {
		a["data-view"] = s.View
	}
	if len(s.Highlight) > 0 {
		a["data-highlight"] = strings.Join(s.Highlight, ",")
	}
	return a
}

func itoa(i int) string { return strconv.Itoa(i) }
