package server

import (
	"bytes"
	"io/fs"
	"net/http"

	"github.com/a-h/templ"

	"github.com/nslab/nslab/web"
)

// pageRoutes maps the pages and the static assets.
func (s *Server) pageRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if !s.live {
			// Without live labs the landing page's button would only
			// fail: the simulated lab is what there is.
			http.Redirect(w, r, "/sim", http.StatusSeeOther)
			return
		}
		var c func() templ.Component
		if landing := s.cfg.Pages.Landing; landing != nil {
			c = func() templ.Component { return landing(s.lessons.items()) }
		}
		s.page(w, r, c)
	})
	m.HandleFunc("GET /lab/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		// The page does not say whether the lab exists: it has no token
		// (the token stays in the URL's fragment); its script finds out.
		if !validLabID(id) {
			s.notFound(w, r)
			return
		}
		lab := s.cfg.Pages.Lab
		var c func() templ.Component
		if lab != nil {
			c = func() templ.Component { return lab(id) }
		}
		s.page(w, r, c)
	})
	wasmBytes := s.simWasmBytes()
	m.HandleFunc("GET /sim", func(w http.ResponseWriter, r *http.Request) {
		var c func() templ.Component
		if sim := s.cfg.Pages.Sim; sim != nil {
			c = func() templ.Component { return sim(s.lessons.items(), wasmBytes) }
		}
		s.page(w, r, c)
	})
	m.HandleFunc("GET /lessons/{file}", s.handleLessonJSON)
	m.HandleFunc("GET /replay", func(w http.ResponseWriter, r *http.Request) { s.page(w, r, s.cfg.Pages.Replay) })
	if s.cfg.Static != nil {
		files, err := newStaticFiles(s.cfg.Static)
		if err != nil {
			s.log.Error("serving no static files", "err", err)
		} else {
			m.HandleFunc("GET /static/", func(w http.ResponseWriter, r *http.Request) {
				files.serve(w, r, s.notFound)
			})
		}
	}
	m.HandleFunc("/", s.notFound)
}

// simWasmBytes is the size of the simulator's wasm among the static
// files, uncompressed, or 0 without one: the page's loading progress
// counts to it, since the wasm is sent gzipped and the response's
// Content-Length is then the compressed size.
func (s *Server) simWasmBytes() int64 {
	if s.cfg.Static == nil {
		return 0
	}
	fi, err := fs.Stat(s.cfg.Static, web.SimWasm)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// securityHeaders are the headers of every page. Scripts come only from
// the server itself ('wasm-unsafe-eval' lets the simulated lab compile
// its WebAssembly, nothing more); styles may be inline because the
// terminal emulator sets them at run time; frames only as configured.
func (s *Server) securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "+
		"style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "+
		"base-uri 'none'; form-action 'self'; frame-ancestors "+s.cfg.FrameAncestors)
	if s.cfg.FrameAncestors == "'none'" {
		h.Set("X-Frame-Options", "DENY") // for browsers without CSP level 2
	}
	h.Set("Cache-Control", "no-cache")
}

// page renders a page component; a nil component is a page this server
// does not have.
func (s *Server) page(w http.ResponseWriter, r *http.Request, c func() templ.Component) {
	if c == nil {
		s.notFound(w, r)
		return
	}
	var b bytes.Buffer
	if err := c().Render(r.Context(), &b); err != nil {
		s.log.Error("render page", "path", r.URL.Path, "err", err)
		http.Error(w, "could not render the page", http.StatusInternalServerError)
		return
	}
	s.securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.securityHeaders(w.Header())
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// WebPages are the web package's pages and views.
func WebPages() Pages {
	return Pages{Landing: web.Landing, Lab: web.LabPage, Sim: web.SimPage, Views: web.Views, Audience: web.AudiencePage, Replay: web.ReplayPage}
}
