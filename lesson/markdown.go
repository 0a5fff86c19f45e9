package lesson

import (
	"html"
	"strconv"
	"strings"
)

// This file reads a step's Markdown: the HTML the lesson panel shows, the
// commands a learner can click ({{exec}}, {{copy}}) in the order they
// appear, and nslab's directives (which view a step points at). It knows
// the Markdown that lesson authors write on Killercoda: ATX and setext
// headings, paragraphs, emphasis, code spans, fenced code (``` or ~~~,
// "plain" meaning no language), lists, block quotes, links, images, and raw
// HTML limited to an allowlist (details and summary for solutions, a few
// inline tags). It does not know tables, footnotes, reference-style links or
// nested emphasis edge cases; such text shows as written.
//
// The HTML is served on the lab's origin, so nothing an author writes can
// become a script: every tag outside the allowlist is escaped, allowlisted
// tags lose their attributes, and links keep only http, https, mailto and
// relative URLs.

// Action is what clicking a code block does.
type Action string

const (
	// ActionExec types the block's text into the learner's terminal,
	// each line followed by Enter ({{exec}}).
	ActionExec Action = "exec"
	// ActionCopy copies the block's text to the clipboard ({{copy}}).
	ActionCopy Action = "copy"
)

// Command is one clickable code block or code span of a page.
type Command struct {
	// Text is what is typed or copied: the block's lines joined by "\n",
	// without a final newline.
	Text   string `json:"text"`
	Action Action `json:"action"`
	// Interrupt says to send ^C before typing ({{exec interrupt}}), to
	// end what runs in the foreground.
	Interrupt bool `json:"interrupt,omitempty"`
	// Line is the line of the command's first line of text in its
	// Markdown file (1-based).
	Line int `json:"line"`
}

// Views a step may point at, as the page names them.
var views = map[string]bool{"map": true, "pids": true, "users": true, "mounts": true}

// highlightKeys are the row attributes a step may highlight: the views
// mark their rows with data-KEY (docs/lessons.md).
var highlightKeys = map[string]bool{"host-pid": true, "container-pid": true, "host-uid": true, "container-uid": true, "mountpoint": true}

// Highlight asks the page to highlight the rows of View whose data-Key
// attribute is Value.
type Highlight struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Page is a Markdown file as nslab shows it.
type Page struct {
	// HTML is the rendered, sanitized text.
	HTML string
	// Commands are the page's {{exec}} and {{copy}} blocks in order; the
	// HTML marks each with data-command="INDEX".
	Commands []Command
	// View is the view the page points at ("" for none), from a
	// <!-- nslab view=NAME --> comment.
	View string
	// Highlight lists rows to highlight in View.
	Highlight []Highlight
	// Problems are what an author should fix; the page still renders.
	Problems []Problem
}

type mdLine struct {
	text string
	n    int // 1-based line number in the file
}

type mdParser struct {
	file string
	page *Page
	out  strings.Builder
	// tight renders paragraphs without <p>, as in a list item with no
	// blank line.
	tight bool
}

// ParseMarkdown reads the Markdown src of file (named in problems).
func ParseMarkdown(file, src string) *Page {
	p := &mdParser{file: file, page: &Page{}}
	src = strings.ReplaceAll(src, "\r\n", "\n")
	raw := strings.Split(src, "\n")
	lines := make([]mdLine, len(raw))
	for i, l := range raw {
		lines[i] = mdLine{text: strings.ReplaceAll(l, "\t", "    "), n: i + 1}
	}
	p.blocks(lines)
	p.page.HTML = p.out.String()
	return p.page
}

func (p *mdParser) problem(line int, format string, args ...any) {
	p.page.Problems = append(p.page.Problems, problemf(p.file, line, format, args...))
}

// indentOf returns the number of leading spaces of s.
func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// fenceOpen reports whether l opens a fenced code block, with its fence
// (``` or ~~~, possibly longer) and info string.
func fenceOpen(l string) (fence, info string, ok bool) {
	if indentOf(l) > 3 {
		return "", "", false
	}
	t := strings.TrimLeft(l, " ")
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(t) && t[n] == c {
			n++
		}
		if n >= 3 {
			info = strings.TrimSpace(t[n:])
			if c == '`' && strings.Contains(info, "`") {
				return "", "", false
			}
			return t[:n], info, true
		}
	}
	return "", "", false
}

// fenceClose reports whether l closes a block opened with fence, and the
// marker after it ({{exec}} …), if any.
func fenceClose(l, fence string) (marker string, ok bool) {
	if indentOf(l) > 3 {
		return "", false
	}
	t := strings.TrimLeft(l, " ")
	n := 0
	for n < len(t) && t[n] == fence[0] {
		n++
	}
	if n < len(fence) {
		return "", false
	}
	rest := strings.TrimSpace(t[n:])
	if rest == "" {
		return "", true
	}
	if strings.HasPrefix(rest, "{{") && strings.HasSuffix(rest, "}}") {
		return rest, true
	}
	return "", false
}

// marker reads a Killercoda marker ({{exec}}, {{exec interrupt}},
// {{copy}}, {{}}) into what a click does.
func (p *mdParser) marker(m string, line int) (act Action, interrupt, ok bool) {
	switch strings.Join(strings.Fields(strings.TrimSuffix(strings.TrimPrefix(m, "{{"), "}}")), " ") {
	case "exec", "execute":
		return ActionExec, false, true
	case "exec interrupt", "execute interrupt":
		return ActionExec, true, true
	case "copy":
		return ActionCopy, false, true
	case "":
		return "", false, true
	}
	p.problem(line, "%s is not supported by nslab (known: {{exec}}, {{exec interrupt}}, {{copy}}, {{}})", m)
	return "", false, false
}

// command records a clickable block and returns its HTML attributes.
func (p *mdParser) command(text string, act Action, interrupt bool, line int) string {
	if act == "" {
		return ""
	}
	p.page.Commands = append(p.page.Commands, Command{Text: text, Action: act, Interrupt: interrupt, Line: line})
	attrs := ` data-command="` + strconv.Itoa(len(p.page.Commands)-1) + `" data-action="` + string(act) + `"`
	if interrupt {
		attrs += ` data-interrupt="true"`
	}
	return attrs
}

var headingRule = map[byte]int{'=': 1, '-': 2}

// blocks renders a run of lines as block elements.
func (p *mdParser) blocks(lines []mdLine) {
	var para []mdLine
	flush := func() {
		if len(para) == 0 {
			return
		}
		if p.tight {
			p.inlineLines(para)
			p.out.WriteString("\n")
		} else {
			p.out.WriteString("<p>")
			p.inlineLines(para)
			p.out.WriteString("</p>\n")
		}
		para = nil
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l.text)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "<!--"):
			flush()
			i = p.comment(lines, i)
		case isFenceStart(l.text):
			flush()
			i = p.fenced(lines, i)
		case indentOf(l.text) >= 4 && len(para) == 0:
			i = p.indented(lines, i)
		case headingLevel(t) > 0:
			flush()
			n := headingLevel(t)
			text := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t[n:]), "#"))
			p.out.WriteString("<h" + strconv.Itoa(n) + ">")
			p.inline(text, l.n)
			p.out.WriteString("</h" + strconv.Itoa(n) + ">\n")
		case len(para) > 0 && isSetextRule(t):
			n := headingRule[t[0]]
			p.out.WriteString("<h" + strconv.Itoa(n) + ">")
			p.inlineLines(para)
			p.out.WriteString("</h" + strconv.Itoa(n) + ">\n")
			para = nil
		case isThematicBreak(t):
			flush()
			p.out.WriteString("<hr>\n")
		case strings.HasPrefix(t, ">"):
			flush()
			var inner []mdLine
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i].text), ">"); i++ {
				s := strings.TrimPrefix(strings.TrimSpace(lines[i].text), ">")
				inner = append(inner, mdLine{text: strings.TrimPrefix(s, " "), n: lines[i].n})
			}
			i--
			p.out.WriteString("<blockquote>\n")
			p.blocks(inner)
			p.out.WriteString("</blockquote>\n")
		case listMarker(l.text) > 0:
			flush()
			i = p.list(lines, i)
		case len(para) == 0 && isHTMLBlockLine(t):
			// A line of allowlisted tags (<details>, <summary>…</summary>)
			// stands on its own: the Markdown around it still renders,
			// as Killercoda does for solution sections.
			p.inline(t, l.n)
			p.out.WriteString("\n")
		default:
			para = append(para, l)
		}
	}
	flush()
}

func isFenceStart(l string) bool { _, _, ok := fenceOpen(l); return ok }

func headingLevel(t string) int {
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(t) && t[n] != ' ') {
		return 0
	}
	return n
}

func isSetextRule(t string) bool {
	return len(t) > 0 && (t[0] == '=' || t[0] == '-') && strings.Trim(t, t[:1]) == ""
}

func isThematicBreak(t string) bool {
	s := strings.ReplaceAll(t, " ", "")
	return len(s) >= 3 && (s[0] == '-' || s[0] == '*' || s[0] == '_') && strings.Trim(s, s[:1]) == ""
}

// listMarker returns the width of a list item's marker ("- ", "1. ") with
// its indentation, or 0 when l is no list item.
func listMarker(l string) int {
	ind := indentOf(l)
	if ind > 3 {
		return 0
	}
	t := l[ind:]
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ' {
		if isThematicBreak(t) {
			return 0
		}
		return ind + 2
	}
	n := 0
	for n < len(t) && n < 9 && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	if n > 0 && n+1 < len(t) && (t[n] == '.' || t[n] == ')') && t[n+1] == ' ' {
		return ind + n + 2
	}
	return 0
}

func isOrdered(l string) bool {
	t := strings.TrimLeft(l, " ")
	return len(t) > 0 && t[0] >= '0' && t[0] <= '9'
}

// list renders the list starting at lines[i] and returns the index of
// its last line.
func (p *mdParser) list(lines []mdLine, i int) int {
	ordered := isOrdered(lines[i].text)
	if ordered {
		start := strings.TrimLeft(lines[i].text, " ")
		n, _ := strconv.Atoi(start[:strings.IndexAny(start, ".)")])
		if n != 1 {
			p.out.WriteString(`<ol start="` + strconv.Itoa(n) + `">` + "\n")
		} else {
			p.out.WriteString("<ol>\n")
		}
	} else {
		p.out.WriteString("<ul>\n")
	}
	for i < len(lines) {
		w := listMarker(lines[i].text)
		if w == 0 || isOrdered(lines[i].text) != ordered {
			break
		}
		item := []mdLine{{text: lines[i].text[w:], n: lines[i].n}}
		j := i + 1
		inFence := isFenceStart(item[0].text)
		for ; j < len(lines); j++ {
			l := lines[j]
			if isBlank(l.text) {
				// A blank line ends the item unless indented content follows.
				if j+1 < len(lines) && indentOf(lines[j+1].text) >= w && !isBlank(lines[j+1].text) {
					item = append(item, mdLine{n: l.n})
					continue
				}
				if inFence {
					item = append(item, mdLine{n: l.n})
					continue
				}
				break
			}
			if indentOf(l.text) >= w {
				item = append(item, mdLine{text: l.text[w:], n: l.n})
			} else if inFence || (listMarker(l.text) == 0 && !isFenceStart(l.text) && headingLevel(strings.TrimSpace(l.text)) == 0) {
				// A lazy continuation line of the item's paragraph.
				item = append(item, mdLine{text: strings.TrimLeft(l.text, " "), n: l.n})
			} else {
				break
			}
			if isFenceStart(item[len(item)-1].text) || (inFence && strings.HasPrefix(strings.TrimSpace(item[len(item)-1].text), "```")) {
				inFence = !inFence
			}
		}
		// An item with no blank line in it is tight: its text shows
		// without <p>.
		tight := true
		for _, l := range item {
			if isBlank(l.text) {
				tight = false
			}
		}
		sub := mdParser{file: p.file, page: p.page, tight: tight}
		sub.blocks(item)
		p.out.WriteString("<li>" + strings.TrimSuffix(sub.out.String(), "\n") + "</li>\n")
		i = j
		for i < len(lines) && isBlank(lines[i].text) && i+1 < len(lines) && listMarker(lines[i+1].text) > 0 {
			i++
		}
	}
	if ordered {
		p.out.WriteString("</ol>\n")
	} else {
		p.out.WriteString("</ul>\n")
	}
	return i - 1
}

// fenced renders the fenced code block opening at lines[i] and returns
// the index of its closing line.
func (p *mdParser) fenced(lines []mdLine, i int) int {
	fence, info, _ := fenceOpen(lines[i].text)
	ind := indentOf(lines[i].text)
	start := lines[i].n
	var body []string
	j := i + 1
	marker, closed := "", false
	for ; j < len(lines); j++ {
		if m, ok := fenceClose(lines[j].text, fence); ok {
			marker, closed = m, true
			break
		}
		l := lines[j].text
		// Lines lose up to the opening fence's indentation.
		l = l[min(ind, indentOf(l)):]
		body = append(body, l)
	}
	if !closed {
		p.problem(start, "code block opened here is never closed (a line of %s)", fence)
		j = len(lines) - 1
	}
	text := strings.Join(body, "\n")
	attrs := ""
	if marker != "" {
		if act, intr, ok := p.marker(marker, lines[j].n); ok {
			attrs = p.command(text, act, intr, start+1)
		}
	}
	lang := strings.Fields(info + " ")[0:]
	class := ""
	if len(lang) > 0 && lang[0] != "plain" && isWord(lang[0]) {
		class = ` class="language-` + lang[0] + `"`
	}
	p.out.WriteString("<pre" + attrs + "><code" + class + ">" + html.EscapeString(text) + "</code></pre>\n")
	return j
}

func isWord(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '+') {
			return false
		}
	}
	return s != ""
}

// indented renders an indented code block (never clickable).
func (p *mdParser) indented(lines []mdLine, i int) int {
	var body []string
	j := i
	for ; j < len(lines); j++ {
		l := lines[j].text
		if !isBlank(l) && indentOf(l) < 4 {
			break
		}
		if len(l) >= 4 {
			l = l[4:]
		} else {
			l = ""
		}
		body = append(body, l)
	}
	for len(body) > 0 && body[len(body)-1] == "" {
		body = body[:len(body)-1]
		j--
	}
	p.out.WriteString("<pre><code>" + html.EscapeString(strings.Join(body, "\n")) + "</code></pre>\n")
	return j - 1
}

// comment reads an HTML comment starting at lines[i] (shown to nobody),
// obeys an nslab directive in it, and returns the index of its last line.
func (p *mdParser) comment(lines []mdLine, i int) int {
	var b strings.Builder
	j := i
	for ; j < len(lines); j++ {
		b.WriteString(lines[j].text + "\n")
		if strings.Contains(lines[j].text, "-->") {
			break
		}
	}
	if j == len(lines) {
		p.problem(lines[i].n, "comment opened here is never closed (-->)")
		j--
	}
	body := strings.TrimSpace(b.String())
	body = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(body, "<!--"), "-->"))
	if f := strings.Fields(body); len(f) > 0 && f[0] == "nslab" {
		p.directive(f[1:], lines[i].n)
	}
	return j
}

// directive obeys <!-- nslab view=NAME highlight=KEY:VALUE,… -->.
func (p *mdParser) directive(args []string, line int) {
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "view":
			if !views[v] {
				p.problem(line, "nslab view=%q: unknown view (known: map, pids, users, mounts)", v)
				continue
			}
			p.page.View = v
		case "highlight":
			for _, h := range strings.Split(v, ",") {
				hk, hv, ok := strings.Cut(h, ":")
				if !ok || !highlightKeys[hk] || hv == "" || !isPlainValue(hv) {
					p.problem(line, "nslab highlight %q: want KEY:VALUE with KEY one of host-pid, container-pid, host-uid, container-uid, mountpoint", h)
					continue
				}
				p.page.Highlight = append(p.page.Highlight, Highlight{Key: hk, Value: hv})
			}
		default:
			p.problem(line, "nslab directive %q: unknown (known: view=NAME, highlight=KEY:VALUE,…)", a)
		}
	}
}

// isPlainValue keeps highlight values to what a row attribute holds.
func isPlainValue(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/-_.", c)) {
			return false
		}
	}
	return true
}

func (p *mdParser) inlineLines(ls []mdLine) {
	for i, l := range ls {
		if i > 0 {
			p.out.WriteString("\n")
		}
		p.inline(strings.TrimSpace(l.text), l.n)
	}
}

// inline renders one line of inline Markdown.
func (p *mdParser) inline(s string, line int) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!<>|~\"'", s[i+1]) >= 0:
			p.out.WriteString(html.EscapeString(s[i+1 : i+2]))
			i += 2
		case c == '`':
			i = p.codeSpan(s, i, line)
		case c == '*' || c == '_':
			i = p.emphasis(s, i, line)
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if n := p.link(s, i+1, line, true); n > 0 {
				i = n
			} else {
				p.out.WriteString("!")
				i++
			}
		case c == '[':
			if n := p.link(s, i, line, false); n > 0 {
				i = n
			} else {
				p.out.WriteString("[")
				i++
			}
		case c == '<':
			i = p.tag(s, i)
		case c == '&':
			if n := entityLen(s[i:]); n > 0 {
				p.out.WriteString(s[i : i+n])
				i += n
			} else {
				p.out.WriteString("&amp;")
				i++
			}
		case c == '{' && strings.HasPrefix(s[i:], "{{"):
			end := strings.Index(s[i:], "}}")
			if end < 0 {
				p.out.WriteString("{")
				i++
				continue
			}
			p.marker(s[i:i+end+2], line)
			p.out.WriteString(html.EscapeString(s[i : i+end+2]))
			i += end + 2
		default:
			j := i + 1
			for j < len(s) && strings.IndexByte("\\`*_![<&{", s[j]) < 0 {
				j++
			}
			p.out.WriteString(html.EscapeString(s[i:j]))
			i = j
		}
	}
}

// codeSpan renders `code` (with a marker after it, a clickable command)
// and returns where the text goes on.
func (p *mdParser) codeSpan(s string, i, line int) int {
	n := 0
	for i+n < len(s) && s[i+n] == '`' {
		n++
	}
	ticks := s[i : i+n]
	end := strings.Index(s[i+n:], ticks)
	if end < 0 {
		p.out.WriteString(html.EscapeString(ticks))
		return i + n
	}
	code := s[i+n : i+n+end]
	if len(code) > 2 && code[0] == ' ' && code[len(code)-1] == ' ' {
		code = code[1 : len(code)-1]
	}
	next := i + n + end + n
	attrs := ""
	if strings.HasPrefix(s[next:], "{{") {
		if m := strings.Index(s[next:], "}}"); m >= 0 {
			if act, intr, ok := p.marker(s[next:next+m+2], line); ok {
				attrs = p.command(code, act, intr, line)
			}
			next += m + 2
		}
	}
	p.out.WriteString("<code" + attrs + ">" + html.EscapeString(code) + "</code>")
	return next
}

// emphasis renders *em*, _em_, **strong** and __strong__.
func (p *mdParser) emphasis(s string, i, line int) int {
	c := s[i]
	n := 1
	if i+1 < len(s) && s[i+1] == c {
		n = 2
	}
	delim := s[i : i+n]
	// _ inside a word (snake_case) is no emphasis.
	if c == '_' && i > 0 && isAlnum(s[i-1]) {
		p.out.WriteString(delim)
		return i + n
	}
	rest := s[i+n:]
	end := strings.Index(rest, delim)
	if end <= 0 || rest[0] == ' ' || rest[end-1] == ' ' || (c == '_' && end+n < len(rest) && isAlnum(rest[end+n])) {
		p.out.WriteString(delim)
		return i + n
	}
	tag := "em"
	if n == 2 {
		tag = "strong"
	}
	p.out.WriteString("<" + tag + ">")
	p.inline(rest[:end], line)
	p.out.WriteString("</" + tag + ">")
	return i + n + end + n
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// link renders [text](url) or, when image, ![alt](url) with s[i] the
// '['; it returns where the text goes on, or 0 when this is no link.
func (p *mdParser) link(s string, i, line int, image bool) int {
	depth, j := 0, i
	for ; j < len(s); j++ {
		if s[j] == '[' {
			depth++
		} else if s[j] == ']' {
			depth--
			if depth == 0 {
				break
			}
		}
	}
	if j >= len(s)-1 || s[j+1] != '(' {
		return 0
	}
	end := strings.IndexByte(s[j+2:], ')')
	if end < 0 {
		return 0
	}
	text := s[i+1 : j]
	target := strings.TrimSpace(s[j+2 : j+2+end])
	// A title after the URL ("…" ) is dropped.
	if k := strings.IndexByte(target, ' '); k >= 0 {
		target = target[:k]
	}
	target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
	if strings.HasPrefix(target, "{{") {
		// Killercoda's {{TRAFFIC_HOST1_80}} links to a port of its VM.
		p.marker(target, line)
	}
	u, ok := safeURL(target)
	if !ok {
		p.problem(line, "link %q: only http, https, mailto and relative links are kept", target)
	}
	switch {
	case image && ok:
		p.out.WriteString(`<img src="` + html.EscapeString(u) + `" alt="` + html.EscapeString(text) + `">`)
	case image:
		p.out.WriteString(html.EscapeString(text))
	case ok:
		p.out.WriteString(`<a href="` + html.EscapeString(u) + `" target="_blank" rel="noopener noreferrer">`)
		p.inline(text, line)
		p.out.WriteString("</a>")
	default:
		p.inline(text, line)
	}
	return j + 2 + end + 1
}

// safeURL keeps URLs that cannot run code when followed: http, https,
// mailto, and relative ones.
func safeURL(u string) (string, bool) {
	for _, c := range u {
		// Control characters and spaces let browsers read a scheme
		// differently ("java\tscript:").
		if c < 0x21 || c == 0x7f {
			return "", false
		}
	}
	colon := strings.IndexByte(u, ':')
	if colon < 0 || strings.ContainsAny(u[:colon], "/?#") {
		return u, true
	}
	switch strings.ToLower(u[:colon]) {
	case "http", "https", "mailto":
		return u, true
	}
	return "", false
}

func entityLen(s string) int {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 10 {
		return 0
	}
	name := s[1:end]
	if name[0] == '#' {
		digits := name[1:]
		if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
			digits = digits[1:]
			for _, c := range digits {
				if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
					return 0
				}
			}
		} else {
			for _, c := range digits {
				if c < '0' || c > '9' {
					return 0
				}
			}
		}
		if digits == "" {
			return 0
		}
		return end + 1
	}
	for i := 0; i < len(name); i++ {
		if !isAlnum(name[i]) {
			return 0
		}
	}
	return end + 1
}
