package lesson

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// Size limits of a lesson's files: a lesson is text and small scripts, and
// a folder given to `nslab serve --lessons` must not make the server read
// (or a page receive) megabytes.
const (
	MaxIndexSize  = 64 << 10  // index.json
	MaxTextSize   = 256 << 10 // a Markdown file
	MaxScriptSize = 64 << 10  // a script
	MaxSteps      = 50
)

// Lesson is one lesson folder, read and checked.
type Lesson struct {
	// Name is the folder's name: how URLs, the CLI and the page name it.
	Name        string
	Title       string
	Description string
	Intro       *Part // nil when index.json has none
	Steps       []*Part
	Finish      *Part // nil when index.json has none
	// Ignored lists the Killercoda fields this lesson sets that nslab
	// reads but does not use (backend.imageid …), for `lessons check`.
	Ignored []string
}

// Part is the intro, a step or the finish page.
type Part struct {
	Title string
	// TextFile is the Markdown file, relative to the lesson folder
	// ("" when the part has no text).
	TextFile string
	Text     *Page
	// Scripts, relative to the lesson folder; zero when absent.
	Verify     Script // steps only: passes by exit status 0
	Solve      Script // steps only: solve.sh beside the text, for "skip"
	Background Script // runs unseen when the part opens
	Foreground Script // typed into the learner's terminal when the part opens
}

// Script is one shell script of a lesson. Killercoda runs scripts with
// bash whatever their file mode, and so does nslab.
type Script struct {
	File string // relative to the lesson folder
	Body string
}

// IsZero reports whether the script is absent.
func (s Script) IsZero() bool { return s.File == "" }

// Problem is one thing wrong with a lesson, where it is.
type Problem struct {
	File string // relative to the folder given to Load or LoadAll ("." for that folder)
	Line int    // 1-based; 0 when the problem is the whole file
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return p.File + ": " + p.Msg
}

func problemf(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Problems is the error of a lesson that cannot be used as it is.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// validName keeps lesson names to what a URL and a command line carry
// as they are.
func validName(n string) bool {
	if n == "" || len(n) > 64 || !isAlnum(n[0]) {
		return false
	}
	for i := 0; i < len(n); i++ {
		if !isAlnum(n[i]) && n[i] != '-' && n[i] != '_' && n[i] != '.' {
			return false
		}
	}
	return true
}

// loader reads one lesson's files, collecting problems.
type loader struct {
	fsys     fs.FS
	dir      string // the lesson folder in fsys
	problems Problems
}

func (ld *loader) rel(name string) string { return path.Join(ld.dir, name) }

func (ld *loader) add(file string, line int, format string, args ...any) {
	ld.problems = append(ld.problems, problemf(ld.rel(file), line, format, args...))
}

// read reads a file of the lesson, at most limit bytes, as UTF-8 text.
// from names where the file was named (for a missing file's problem).
func (ld *loader) read(name string, limit int64, from string, fromLine int) (string, bool) {
	if !fs.ValidPath(name) || strings.Contains(name, "\\") {
		ld.add(from, fromLine, "%q: a file of the lesson must be named by a relative path inside its folder, with / between folders", name)
		return "", false
	}
	full := ld.rel(name)
	fi, err := fs.Stat(ld.fsys, full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			ld.add(from, fromLine, "%s: no such file", name)
		} else {
			ld.add(name, 0, "%v", err)
		}
		return "", false
	}
	if !fi.Mode().IsRegular() {
		ld.add(name, 0, "not a regular file")
		return "", false
	}
	if fi.Size() > limit {
		ld.add(name, 0, "%d bytes: larger than nslab reads (%d bytes at most)", fi.Size(), limit)
		return "", false
	}
	b, err := fs.ReadFile(ld.fsys, full)
	if err != nil {
		ld.add(name, 0, "%v", err)
		return "", false
	}
	if int64(len(b)) > limit {
		ld.add(name, 0, "larger than nslab reads (%d bytes at most)", limit)
		return "", false
	}
	if !utf8.Valid(b) {
		ld.add(name, lineOfInvalidUTF8(b), "not UTF-8 text")
		return "", false
	}
	return string(b), true
}

func lineOfInvalidUTF8(b []byte) int {
	line := 1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	return line
}

// Load reads and checks the lesson in folder dir of fsys. The error, when
// not nil, is Problems; the lesson is nil then.
func Load(fsys fs.FS, dir string) (*Lesson, error) {
	ld := &loader{fsys: fsys, dir: dir}
	name := path.Base(dir)
	if !validName(name) {
		ld.add("", 0, "the folder's name %q is the lesson's name: use letters, digits, '-', '_' and '.' (64 at most)", name)
	}
	data, ok := ld.read("index.json", MaxIndexSize, "", 0)
	if !ok {
		return nil, ld.problems
	}
	idx := ld.parseIndex([]byte(data))
	if idx == nil {
		return nil, ld.problems
	}
	l := &Lesson{Name: name, Title: idx.Title, Description: idx.Description}
	l.Ignored = idx.ignored
	if l.Title == "" {
		ld.add("index.json", 0, "no title")
	}
	if idx.Details.Intro != nil {
		l.Intro = ld.part(idx.Details.Intro, "details.intro", idx.lines, false)
	}
	if len(idx.Details.Steps) == 0 {
		ld.add("index.json", idx.lines["details"], "details.steps: a lesson needs at least one step")
	}
	if len(idx.Details.Steps) > MaxSteps {
		ld.add("index.json", idx.lines["details.steps"], "%d steps: nslab reads %d at most", len(idx.Details.Steps), MaxSteps)
		idx.Details.Steps = idx.Details.Steps[:MaxSteps]
	}
	for i, s := range idx.Details.Steps {
		key := fmt.Sprintf("details.steps[%d]", i)
		p := ld.part(s, key, idx.lines, true)
		if p.Title == "" {
			p.Title = fmt.Sprintf("Step %d", i+1)
		}
		if s.Text == "" {
			ld.add("index.json", idx.lines[key], "%s: a step needs a text file", key)
		}
		l.Steps = append(l.Steps, p)
	}
	if idx.Details.Finish != nil {
		l.Finish = ld.part(idx.Details.Finish, "details.finish", idx.lines, false)
	}
	if len(ld.problems) > 0 {
		return nil, ld.problems
	}
	return l, nil
}

// part reads the files an intro, step or finish entry names.
func (ld *loader) part(e *indexPart, key string, lines map[string]int, step bool) *Part {
	p := &Part{Title: e.Title}
	if e.Text != "" {
		if src, ok := ld.read(e.Text, MaxTextSize, "index.json", lines[key+".text"]); ok {
			p.TextFile = e.Text
			p.Text = ParseMarkdown(ld.rel(e.Text), src)
			ld.problems = append(ld.problems, p.Text.Problems...)
		}
	}
	script := func(file, field string) Script {
		if file == "" {
			return Script{}
		}
		body, ok := ld.read(file, MaxScriptSize, "index.json", lines[key+"."+field])
		if !ok {
			return Script{}
		}
		return Script{File: file, Body: body}
	}
	p.Background = script(e.Background, "background")
	p.Foreground = script(e.Foreground, "foreground")
	if step {
		p.Verify = script(e.Verify, "verify")
		// Instruqt's split borrowed: solve.sh beside the step's text
		// solves the step ("skip"); index.json names no such field, so
		// the folder stays a valid Killercoda scenario.
		if e.Text != "" && strings.Contains(e.Text, "/") {
			solve := path.Join(path.Dir(e.Text), "solve.sh")
			if _, err := fs.Stat(ld.fsys, ld.rel(solve)); err == nil {
				p.Solve = script(solve, "text")
			}
		}
	} else if e.Verify != "" {
		ld.add("index.json", lines[key+".verify"], "%s.verify: only steps have verify scripts", key)
	}
	return p
}

// Parts returns the intro, steps and finish that the lesson has, in order.
func (l *Lesson) Parts() []*Part {
	var ps []*Part
	if l.Intro != nil {
		ps = append(ps, l.Intro)
	}
	ps = append(ps, l.Steps...)
	if l.Finish != nil {
		ps = append(ps, l.Finish)
	}
	return ps
}

// Scripts returns every script of the lesson, for a syntax check.
func (l *Lesson) Scripts() []Script {
	var ss []Script
	for _, p := range l.Parts() {
		for _, s := range []Script{p.Background, p.Foreground, p.Verify, p.Solve} {
			if !s.IsZero() {
				ss = append(ss, s)
			}
		}
	}
	return ss
}

// LoadAll reads a folder of lessons: every subfolder with an index.json,
// or, when root itself has one, the one lesson root is (named dir, the
// folder's own name, since an fs.FS does not know it). It returns the
// lessons that are valid, sorted by name, and the problems of the others,
// so that one bad lesson costs only itself.
func LoadAll(fsys fs.FS, dir string) ([]*Lesson, Problems) {
	if _, err := fs.Stat(fsys, "index.json"); err == nil {
		l, err := Load(namedFS{fsys, dir}, dir)
		if err != nil {
			return nil, err.(Problems)
		}
		return []*Lesson{l}, nil
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, Problems{problemf(".", 0, "%v", err)}
	}
	var ls []*Lesson
	var ps Problems
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(e.Name(), "index.json")); err != nil {
			continue
		}
		l, err := Load(fsys, e.Name())
		if err != nil {
			ps = append(ps, err.(Problems)...)
			continue
		}
		ls = append(ls, l)
	}
	if len(ls) == 0 && len(ps) == 0 {
		ps = append(ps, problemf(".", 0, "no lesson here: a lesson is a folder with an index.json"))
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].Name < ls[j].Name })
	return ls, ps
}

// namedFS shows fsys as the single folder name, so that a lesson given as
// its own folder reads like one inside a folder of lessons.
type namedFS struct {
	fsys fs.FS
	name string
}

func (n namedFS) Open(name string) (fs.File, error) {
	if name == n.name {
		return n.fsys.Open(".")
	}
	if rest, ok := strings.CutPrefix(name, n.name+"/"); ok {
		return n.fsys.Open(rest)
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
