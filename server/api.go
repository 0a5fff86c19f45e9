package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nslab/nslab/lesson"
)

// routes maps every path the server answers.
func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /healthz", s.handleHealth)
	m.HandleFunc("POST /api/labs", s.handleCreate)
	m.HandleFunc("GET /api/labs/{id}/state", s.handleState)
	m.HandleFunc("POST /api/labs/{id}/exec", s.handleExec)
	m.HandleFunc("DELETE /api/labs/{id}", s.handleDelete)
	m.HandleFunc("GET /api/labs/{id}/recording", s.handleRecording)
	m.HandleFunc("GET /api/labs/{id}/ws", s.handleWS)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if allow := apiMethods(r.URL.Path); allow != "" {
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, "method "+truncate(r.Method, 20)+" not allowed here; allowed: "+allow)
			return
		}
		writeError(w, http.StatusNotFound, "no such API endpoint: "+truncate(r.Method, 20)+" "+truncate(r.URL.Path, 200))
	})
	s.embedRoutes(m)
	s.audienceRoutes(m)
	s.pageRoutes(m)
	s.mux = m
}

// apiMethods lists the methods an API path answers, for a 405 to a
// request with another method; "" for a path the API does not have.
// The ServeMux cannot say 405 itself here: the catch-all /api/ pattern
// matches every method first.
func apiMethods(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/labs")
	switch {
	case !ok:
		return ""
	case rest == "":
		return "POST"
	}
	id, what, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	if !strings.HasPrefix(rest, "/") || id == "" {
		return ""
	}
	switch what {
	case "":
		return "DELETE"
	case "state", "ws", "recording":
		return "GET, HEAD"
	case "exec":
		return "POST"
	case "viewers":
		return "DELETE, POST"
	case "follow":
		return "GET, HEAD"
	}
	return ""
}

// errorBody is every API error's body.
type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

// errNoLab is the one answer for an unknown lab and a wrong or missing
// token, so that a client without the token learns nothing about the lab.
const errNoLab = "no such lab or wrong token"

// authorize finds the session of r's {id} that r's token opens, or
// answers 404 and returns nil.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) *session {
	ss := s.lookup(r.PathValue("id"), requestToken(r))
	if ss == nil {
		writeError(w, http.StatusNotFound, errNoLab)
		return nil
	}
	ss.touch()
	return ss
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := len(s.sessions)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "labs": n, "mode": s.Mode()})
}

// createdBody answers POST /api/labs.
type createdBody struct {
	ID    string `json:"id"`
	Token string `json:"token"`
	URL   string `json:"url"`
}

// spawnTimeout bounds how long making a lab may take.
const spawnTimeout = 30 * time.Second

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	if !s.live {
		writeError(w, http.StatusServiceUnavailable, "live labs are not available on this server ("+s.cfg.NoEngineReason+"); the simulated lab at /sim works without them")
		return
	}
	// The body is empty or names a lesson; a client that sends a big or
	// a bad one is told so before any lab is made for it.
	// The whole body is read first (it is small), so that an oversized
	// one is refused as such, whatever it holds.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCreateBody))
	var tooBig *http.MaxBytesError
	if r.ContentLength > maxCreateBody || errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "request body over "+strconv.Itoa(maxCreateBody)+` bytes; POST /api/labs takes none, or {"lesson": "NAME"}`)
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "read the request body: "+truncate(err.Error(), 200))
		return
	}
	req, status, msg := decodeCreate(bytes.NewReader(body), maxCreateBody)
	if status != 0 {
		writeError(w, status, msg)
		return
	}
	var l *lesson.Lesson
	if req.Lesson != "" {
		if l = s.lessons.byName[req.Lesson]; l == nil {
			writeError(w, http.StatusBadRequest, "no lesson named "+strconv.Quote(truncate(req.Lesson, 64))+" on this server; the landing page lists the lessons there are")
			return
		}
	}
	client := clientKey(r)
	now := time.Now()
	if no := s.admit(client, now); no != nil {
		w.Header().Set("Retry-After", strconv.Itoa(no.retryAfter))
		writeError(w, no.status, no.msg)
		return
	}
	// The lab outlives the request, so it is not spawned under the
	// request's context.
	ctx, cancel := context.WithTimeout(context.Background(), spawnTimeout)
	lab, err := s.cfg.Engine.Spawn(ctx)
	cancel()
	if err != nil {
		s.release(client)
		s.log.Error("spawn lab", "client", client, "err", err)
		writeError(w, http.StatusInternalServerError, "could not start a lab; try again later")
		return
	}
	ss, err := s.adopt(client, lab, now, l)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	if r.Context().Err() != nil {
		// Nobody will get the token: the lab would only wait for its
		// idle timeout.
		ss.end("the client left before the lab was ready")
		return
	}
	ss.log.Info("lab created", "client", client, "lesson", req.Lesson)
	w.Header().Set("Location", "/lab/"+ss.id)
	writeJSON(w, http.StatusCreated, createdBody{ID: ss.id, Token: ss.token, URL: "/lab/" + ss.id + "#token=" + ss.token})
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r)
	if ss == nil {
		return
	}
	// The lab's cached state if it is as fresh as the stream's, shared
	// with the stream and every other request (statecache.go).
	in, err := ss.state(r.Context().Done(), stateEvery)
	if err == errStopped {
		return // the client left
	}
	if err != nil && ss.isEnding() {
		writeError(w, http.StatusNotFound, errNoLab)
		return
	}
	var b []byte
	if err == nil {
		b, err = in.JSON()
	}
	if err != nil {
		ss.log.Warn("snapshot", "err", err)
		writeError(w, http.StatusInternalServerError, "could not read the lab's state: "+err.Error())
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r)
	if ss == nil {
		return
	}
	ss.end("the lab was deleted")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// execRequest is POST /api/labs/{id}/exec's body.
type execRequest struct {
	Cmd string `json:"cmd"`
}

// decodeExec reads an exec request's body, bounded by the caller to limit
// bytes with http.MaxBytesReader. It returns the request, or the status
// and message of the error to answer: 413 for a body over the limit, 400
// for anything else wrong. One JSON object and nothing after it, whose
// one field is "cmd", exactly and once: encoding/json alone would match
// "CMD" too, and a body read one way by a filter in front of the server
// must not run another command here.
func decodeExec(body io.Reader, limit int64) (execRequest, int, string) {
	var req execRequest
	err := decodeExecObject(json.NewDecoder(body), &req)
	if err != nil {
		status, msg := bodyError(err, limit, `want a JSON body {"cmd": "…"}`)
		return execRequest{}, status, msg
	}
	if msg := checkCmd(req.Cmd); msg != "" {
		return execRequest{}, http.StatusBadRequest, msg
	}
	return req, 0, ""
}

// bodyError is the status and message that answer a body decoding error:
// 413 for a body over limit bytes, 400 naming the field for the wrong
// fields, else 400 saying what the body should be (want).
func bodyError(err error, limit int64, want string) (int, string) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge, "request body over " + strconv.FormatInt(limit, 10) + " bytes"
	}
	var field *execFieldError
	if errors.As(err, &field) {
		return http.StatusBadRequest, field.msg
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return http.StatusBadRequest, want + ": " + truncate(err.Error(), 200)
}

// execFieldError is a well-formed body with the wrong fields.
type execFieldError struct{ msg string }

func (e *execFieldError) Error() string { return e.msg }

// decodeExecObject reads {"cmd": STRING} token by token, and then the end
// of the body.
func decodeExecObject(dec *json.Decoder, req *execRequest) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	cmd, seen, err := readStringObject(dec, tok, "cmd")
	if err != nil {
		return err
	}
	req.Cmd = cmd
	if !seen {
		return &execFieldError{`no "cmd" in the body: want {"cmd": "…"}`}
	}
	return endOfBody(dec)
}

// readStringObject reads the rest of a JSON object whose opening token tok
// the caller has read, and whose one field is name: exactly (encoding/json
// alone would match any case), once, a string. It reports the field's
// value and whether it was there.
func readStringObject(dec *json.Decoder, tok json.Token, name string) (value string, seen bool, err error) {
	if tok != json.Delim('{') {
		return "", false, errors.New("not a JSON object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", false, err
		}
		key, _ := tok.(string) // an object's key is always a string
		if key != name {
			return "", false, &execFieldError{`unknown field ` + strconv.Quote(truncate(key, 40)) + `: the only field is "` + name + `", in lower case`}
		}
		if seen {
			return "", false, &execFieldError{`"` + name + `" given twice`}
		}
		seen = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return "", false, err
		}
		if len(raw) == 0 || raw[0] != '"' {
			return "", false, &execFieldError{`"` + name + `" is not a string`}
		}
		if err := json.Unmarshal(raw, &value); err != nil {
			return "", false, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return "", false, err
	}
	return value, seen, nil
}

// endOfBody checks that nothing follows the JSON object: trailing data
// ("{…}{…}", "{…} junk") is a malformed body too.
func endOfBody(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		return errTrailing
	}
	return nil
}

var errTrailing = errors.New("data after the JSON object")

func (s *Server) handleExec(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r)
	if ss == nil {
		return
	}
	req, status, msg := decodeExec(http.MaxBytesReader(w, r.Body, maxExecBody), maxExecBody)
	if status != 0 {
		writeError(w, status, msg)
		return
	}
	if err := ss.execStarted(); err == errEnded {
		writeError(w, http.StatusNotFound, errNoLab)
		return
	} else if err != nil {
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, err.Error())
		return
	}
	defer ss.execDone()
	res, err := runExec(r.Context(), ss, req.Cmd, s.lim.ExecTimeout)
	if err != nil {
		ss.log.Warn("exec", "err", err)
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
}
