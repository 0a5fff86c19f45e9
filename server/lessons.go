package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/web"
)

// lessons are the lessons a server offers (Config.Lessons), by name, each
// with its page JSON made once: GET /lessons/NAME.json serves it to the
// simulator's page, which renders and runs the lesson in the browser.
type lessons struct {
	order  []*lesson.Lesson
	byName map[string]*lesson.Lesson
	json   map[string][]byte
}

func newLessons(ls []*lesson.Lesson) (*lessons, error) {
	x := &lessons{byName: map[string]*lesson.Lesson{}, json: map[string][]byte{}}
	for _, l := range ls {
		if _, dup := x.byName[l.Name]; dup {
			return nil, errors.New("two lessons named " + strconv.Quote(l.Name))
		}
		b, err := json.Marshal(l.Render())
		if err != nil {
			return nil, errors.New("lesson " + l.Name + ": " + err.Error())
		}
		x.order = append(x.order, l)
		x.byName[l.Name] = l
		x.json[l.Name] = b
	}
	return x, nil
}

// items lists the lessons for a picker, in order.
func (x *lessons) items() []web.LessonItem {
	items := make([]web.LessonItem, 0, len(x.order))
	for _, l := range x.order {
		items = append(items, web.LessonItem{Name: l.Name, Title: l.Title, Description: l.Description})
	}
	return items
}

// handleLessonJSON serves GET /lessons/NAME.json: the lesson as
// lesson.Render makes it, for the simulator's page.
func (s *Server) handleLessonJSON(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	b := s.lessons.json[name]
	if !ok || b == nil {
		writeError(w, http.StatusNotFound, "no lesson named "+strconv.Quote(truncate(name, 64))+" on this server")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-cache")
	w.Write(b)
}

// LessonView turns a rendered lesson and its progress into the panel's
// view model.
func LessonView(r *lesson.Rendered, p *lesson.Progress) web.LessonView {
	part := func(rp *lesson.RenderedPart) *web.LessonPart {
		if rp == nil {
			return nil
		}
		wp := &web.LessonPart{Title: rp.Title, HTML: rp.HTML, View: rp.View}
		for _, h := range rp.Highlight {
			wp.Highlight = append(wp.Highlight, h.Key+":"+h.Value)
		}
		return wp
	}
	v := web.LessonView{Name: r.Name, Title: r.Title, Intro: part(r.Intro), Finish: part(r.Finish)}
	for i, s := range r.Steps {
		v.Steps = append(v.Steps, *part(s))
		v.Done = append(v.Done, p.Done(i))
	}
	return v
}

// createRequest is POST /api/labs's body, which may be empty.
type createRequest struct {
	Lesson string `json:"lesson"`
}

// decodeCreate reads POST /api/labs's body, bounded by the caller with
// http.MaxBytesReader: empty, or one JSON object whose one field is
// "lesson" (exactly, once, a string), and nothing after it, as exec's body
// is read (decodeExec says why). It returns the status and message of the
// error to answer, or 0.
func decodeCreate(body io.Reader, limit int64) (createRequest, int, string) {
	var req createRequest
	dec := json.NewDecoder(body)
	tok, err := dec.Token()
	if err == io.EOF {
		return req, 0, "" // no body: a lab without a lesson
	}
	fail := func(err error) (createRequest, int, string) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return createRequest{}, http.StatusRequestEntityTooLarge, "request body over " + strconv.FormatInt(limit, 10) + " bytes"
		}
		var field *execFieldError
		if errors.As(err, &field) {
			return createRequest{}, http.StatusBadRequest, field.msg
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return createRequest{}, http.StatusBadRequest, `want no body, or a JSON body {"lesson": "NAME"}: ` + truncate(err.Error(), 200)
	}
	if err != nil {
		return fail(err)
	}
	if tok != json.Delim('{') {
		return fail(errors.New("not a JSON object"))
	}
	seen := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		if key != "lesson" {
			return fail(&execFieldError{`unknown field ` + strconv.Quote(truncate(key, 40)) + `: the only field is "lesson", in lower case`})
		}
		if seen {
			return fail(&execFieldError{`"lesson" given twice`})
		}
		seen = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(err)
		}
		if len(raw) == 0 || raw[0] != '"' {
			return fail(&execFieldError{`"lesson" is not a string`})
		}
		if err := json.Unmarshal(raw, &req.Lesson); err != nil {
			return fail(err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return fail(err)
		}
		return fail(errTrailing)
	}
	if !seen || req.Lesson == "" {
		return fail(&execFieldError{`no lesson named: want {"lesson": "NAME"}, or no body for a lab without a lesson`})
	}
	return req, 0, ""
}
