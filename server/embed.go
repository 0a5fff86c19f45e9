package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Embedding: a course's page shows a lab in an iframe (the lab page with
// ?embed=1, assets/js/embed.js) and talks to it with postMessage
// (docs/embedding.md). Two lists of origins decide who may do what:
//
//   - Config.FrameAncestors, the pages' CSP frame-ancestors: which sites
//     the browser lets frame the pages at all (clickjacking is what the
//     default 'none' stops);
//   - Config.EmbedOrigins, served as EmbedConfigPath: the origins whose
//     messages the framed page acts on and to which it sends its events.
//     A message from any other origin is ignored, so a page that manages
//     to frame a lab, or a frame beside it, cannot type into its terminal.

// EmbedConfigPath is where the lab page's script reads its embedding
// configuration, relative to the static files: /static/embed.json from
// the server, static/embed.json in an exported site (written by `nslab
// export --embed-origins`). A file of the site itself, not a query
// parameter: whoever writes an iframe's address chooses its query, so a
// list given there would let any page name itself trusted.
const EmbedConfigPath = "embed.json"

// EmbedVersion is the version of the postMessage API: the "nslab" field
// of every message and of the configuration.
const EmbedVersion = 1

// maxEmbedOrigins bounds each origin list: they go into a header and
// into every embedded page's checks.
const maxEmbedOrigins = 64

// EmbedConfig is the JSON at EmbedConfigPath.
type EmbedConfig struct {
	Version int      `json:"nslab"`
	Origins []string `json:"origins"`
}

// NewEmbedConfig returns the configuration for origins, which must have
// passed CheckOrigins.
func NewEmbedConfig(origins []string) EmbedConfig {
	c := EmbedConfig{Version: EmbedVersion, Origins: []string{}}
	for _, o := range origins {
		c.Origins = append(c.Origins, NormalizeOrigin(o))
	}
	return c
}

// NormalizeOrigin is an origin (one that passed CheckOrigin) as browsers
// serialize it (event.origin, the Origin header): lower case, no trailing
// slash, no default port.
func NormalizeOrigin(o string) string {
	o = strings.ToLower(strings.TrimSuffix(o, "/"))
	if s, ok := strings.CutSuffix(o, ":443"); ok && strings.HasPrefix(o, "https://") {
		return s
	}
	if s, ok := strings.CutSuffix(o, ":80"); ok && strings.HasPrefix(o, "http://") {
		return s
	}
	return o
}

// CheckOrigin says why o is not an origin: scheme://host[:port], with
// scheme http or https, nothing before the host and nothing after the
// port (a trailing "/" is allowed). Wildcards are refused: each site that
// may embed a lab is named.
func CheckOrigin(o string) error {
	want := fmt.Errorf("%q is not an origin: want scheme://host[:port], like https://course.example", o)
	if o == "" || len(o) > 300 || strings.ContainsAny(o, " \t\r\n;,*'\"") {
		return want
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" ||
		u.ForceQuery || strings.HasSuffix(u.Host, ":") || u.Opaque != "" {
		return want
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%q is not an origin: port %q is not a number from 1 to 65535", o, p)
		}
	}
	return nil
}

// CheckOrigins checks each of origins and their count.
func CheckOrigins(origins []string) error {
	if len(origins) > maxEmbedOrigins {
		return fmt.Errorf("%d origins: at most %d", len(origins), maxEmbedOrigins)
	}
	var errs []error
	for _, o := range origins {
		if err := CheckOrigin(o); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// FrameAncestors turns the values of --frame-ancestors into the CSP
// frame-ancestors source list: 'none' (alone), 'self', or origins.
// Nothing else is let into the header: no wildcard, no scheme-only
// source, no other directive.
func FrameAncestors(vals []string) (string, error) {
	if len(vals) == 0 {
		return "'none'", nil
	}
	if len(vals) > maxEmbedOrigins {
		return "", fmt.Errorf("%d values: at most %d", len(vals), maxEmbedOrigins)
	}
	var out []string
	for _, v := range vals {
		switch strings.Trim(v, "'") {
		case "none":
			if len(vals) > 1 {
				return "", fmt.Errorf("'none' cannot be given with other values (%q)", strings.Join(vals, " "))
			}
			return "'none'", nil
		case "self":
			out = append(out, "'self'")
			continue
		}
		if err := CheckOrigin(v); err != nil {
			return "", fmt.Errorf("%w, 'self' or 'none'", err)
		}
		out = append(out, NormalizeOrigin(v))
	}
	return strings.Join(out, " "), nil
}

// embedRoutes serves the embedding configuration beside the static files,
// where an exported site has it too.
func (s *Server) embedRoutes(m *http.ServeMux) {
	origins := s.cfg.EmbedOrigins
	if err := CheckOrigins(origins); err != nil {
		// nslab serve checks them at start; a list that would let in
		// something other than origins lets in nothing.
		s.log.Error("embedding from no origin", "err", err)
		origins = nil
	}
	body, err := json.Marshal(NewEmbedConfig(origins))
	if err != nil {
		// A struct of strings always marshals.
		panic(err)
	}
	m.HandleFunc("GET /static/"+EmbedConfigPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(body)
	})
}
