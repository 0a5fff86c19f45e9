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
	dec := json.NewDecoder(body)
	tok, err := dec.Token()
	if err == io.EOF {
		return createRequest{}, 0, "" // no body: a lab without a lesson
	}
	fail := func(err error) (createRequest, int, string) {
		status, msg := bodyError(err, limit, `want no body, or a JSON body {"lesson": "NAME"}`)
		return createRequest{}, status, msg
	}
	if err != nil {
		return fail(err)
	}
	name, seen, err := readStringObject(dec, tok, "lesson")
	if err != nil {
		return fail(err)
	}
	if err := endOfBody(dec); err != nil {
		return fail(err)
	}
	if !seen || name == "" {
		return fail(&execFieldError{`no lesson named: want {"lesson": "NAME"}, or no body for a lab without a lesson`})
	}
	return createRequest{Lesson: name}, 0, ""
}
