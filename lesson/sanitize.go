package lesson

import (
	"html"
	"strings"
)

// Raw HTML in a lesson's Markdown is limited to these tags, shown without
// attributes (but details' open): enough for the solution sections and
// the inline markup authors use, and nothing that runs code or loads
// anything (no script, style, iframe, object, form, img with handlers,
// event attributes, style attributes).
var allowedTags = map[string]bool{
	"details": true, "summary": true, "br": true, "hr": true, "p": true,
	"div": true, "span": true, "b": true, "i": true, "em": true,
	"strong": true, "code": true, "pre": true, "kbd": true, "sub": true,
	"sup": true, "ul": true, "ol": true, "li": true, "blockquote": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"del": true, "s": true, "small": true, "mark": true,
}

// voidTags have no closing tag.
var voidTags = map[string]bool{"br": true, "hr": true}

// parseTag reads an HTML tag at the start of s ("<details open>",
// "</summary>", "<br/>"); n is its length, 0 when s starts no tag.
func parseTag(s string) (name string, closing, open bool, n int) {
	if len(s) < 3 || s[0] != '<' {
		return "", false, false, 0
	}
	i := 1
	if s[i] == '/' {
		closing = true
		i++
	}
	j := i
	for j < len(s) && isAlnum(s[j]) {
		j++
	}
	if j == i || !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		return "", false, false, 0
	}
	name = strings.ToLower(s[i:j])
	// Find the tag's end, minding quoted attribute values.
	var quote byte
	k := j
	for ; k < len(s); k++ {
		c := s[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			attrs := strings.Fields(strings.TrimSuffix(strings.TrimSpace(s[j:k]), "/"))
			for _, a := range attrs {
				if strings.EqualFold(a, "open") {
					open = true
				}
			}
			return name, closing, open, k + 1
		}
	}
	return "", false, false, 0
}

// tag writes the tag at s[i:] if it is allowlisted, stripped of its
// attributes, or else escapes the '<'. It returns where the text goes on.
func (p *mdParser) tag(s string, i int) int {
	// An autolink <https://…>.
	if end := strings.IndexByte(s[i:], '>'); end > 0 {
		if u := s[i+1 : i+end]; strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			if su, ok := safeURL(u); ok {
				p.out.WriteString(`<a href="` + html.EscapeString(su) + `" target="_blank" rel="noopener noreferrer">` + html.EscapeString(su) + "</a>")
				return i + end + 1
			}
		}
	}
	name, closing, open, n := parseTag(s[i:])
	if n == 0 || !allowedTags[name] {
		p.out.WriteString("&lt;")
		return i + 1
	}
	switch {
	case closing && voidTags[name]:
	case closing:
		p.out.WriteString("</" + name + ">")
	case name == "details" && open:
		p.out.WriteString("<details open>")
	default:
		p.out.WriteString("<" + name + ">")
	}
	return i + n
}

// isHTMLBlockLine reports whether a line is made only of allowlisted
// tags and text between them, starting with a tag (<details>,
// <summary>Solution</summary>, </details>).
func isHTMLBlockLine(t string) bool {
	name, _, _, n := parseTag(t)
	if n == 0 || !allowedTags[name] {
		return false
	}
	switch name {
	case "details", "summary", "div", "p", "hr", "br", "ul", "ol", "li", "blockquote", "pre",
		"h1", "h2", "h3", "h4", "h5", "h6":
		return true
	}
	return false
}
