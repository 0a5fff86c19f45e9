package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// staticFiles serves the embedded files under /static/. Embedded files
// have no modification time, so each file's validator is a hash of its
// content, computed once when the server starts. A file NAME that has a
// precompressed NAME.gz beside it is sent as that to a client that
// accepts gzip (the simulator's wasm: a fifth of the bytes).
type staticFiles struct {
	fsys  fs.FS
	files map[string]*staticFile // by path: only these are served
}

// staticFile is one servable file; gz is its precompressed form, if any.
type staticFile struct {
	etag        string
	contentType string
	gz          *staticFile
}

// newStaticFiles hashes every file of fsys.
func newStaticFiles(fsys fs.FS) (*staticFiles, error) {
	sf := &staticFiles{fsys: fsys, files: map[string]*staticFile{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		head := make([]byte, 512)
		n, _ := io.ReadFull(f, head)
		h.Write(head[:n])
		if _, err := io.Copy(h, f); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = http.DetectContentType(head[:n])
		}
		// Strong validator: these bytes exactly (RFC 9110, 8.8.3).
		sf.files[p] = &staticFile{
			etag:        `"` + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18]) + `"`,
			contentType: ctype,
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	for p, f := range sf.files {
		if gz, ok := sf.files[p+".gz"]; ok {
			// The gzip body is another representation of the same file,
			// with its own validator, and the file's type.
			f.gz = &staticFile{etag: gz.etag, contentType: f.contentType}
		}
	}
	return sf, nil
}

// serve serves the file at the request's path below /static/. Any path
// that is not one of the files exactly (folders, "..", encoded slashes,
// NUL bytes) gets notFound.
func (sf *staticFiles) serve(w http.ResponseWriter, r *http.Request, notFound http.HandlerFunc) {
	name, ok := strings.CutPrefix(r.URL.Path, "/static/")
	f := sf.files[name]
	if !ok || f == nil || !fs.ValidPath(name) {
		notFound(w, r)
		return
	}
	h := w.Header()
	file := name
	if f.gz != nil {
		// Caches must keep the two representations apart.
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Values("Accept-Encoding")) {
			file, f = name+".gz", f.gz
			h.Set("Content-Encoding", "gzip")
		}
	}
	rd, closer, err := sf.open(file)
	if err != nil {
		h.Del("Content-Encoding")
		http.Error(w, "could not read the file", http.StatusInternalServerError)
		return
	}
	defer closer.Close()
	h.Set("Content-Type", f.contentType)
	h.Set("ETag", f.etag)
	// None of the names carries a version: a browser must ask again each
	// time (a 304 when nothing changed), so that a deploy is seen at once
	// and the page never runs new scripts with an old wasm.
	h.Set("Cache-Control", "no-cache")
	// ServeContent answers If-None-Match (304), HEAD and ranges.
	http.ServeContent(w, r, file, time.Time{}, rd)
}

// open returns a seekable reader of the file at p, and what to close
// after reading it.
func (sf *staticFiles) open(p string) (io.ReadSeeker, io.Closer, error) {
	f, err := sf.fsys.Open(p)
	if err != nil {
		return nil, nil, err
	}
	if rs, ok := f.(io.ReadSeeker); ok {
		return rs, f, nil // embedded files seek in memory
	}
	b, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return bytes.NewReader(b), f, nil
}

// acceptsGzip reports whether Accept-Encoding values allow gzip: "gzip"
// (or "x-gzip", or "*") with a quality above 0 (RFC 9110, 12.5.3).
func acceptsGzip(values []string) bool {
	gzip, star := -1.0, -1.0
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(item, ";")
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
						q = f
					} else {
						q = 0
					}
				}
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gzip = max(gzip, q)
			case "*":
				star = max(star, q)
			}
		}
	}
	if gzip >= 0 {
		return gzip > 0
	}
	return star > 0
}
