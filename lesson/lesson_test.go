package lesson

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// validFiles is a small valid lesson "demo", which each case breaks.
func validFiles() fstest.MapFS {
	return fstest.MapFS{
		"demo/index.json": {Data: []byte(`{
  "title": "Demo",
  "details": {
    "intro": {"text": "intro.md"},
    "steps": [
      {"title": "One", "text": "step1/text.md", "verify": "step1/verify.sh"}
    ]
  }
}
`)},
		"demo/intro.md":        {Data: []byte("# Hi\n")},
		"demo/step1/text.md":   {Data: []byte("```\ntrue\n```{{exec}}\n")},
		"demo/step1/verify.sh": {Data: []byte("true\n")},
	}
}

func TestLoadProblems(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(fstest.MapFS)
		file  string // the problem must name this file…
		words string // …and say this
	}{
		{"bad JSON", func(m fstest.MapFS) {
			m["demo/index.json"] = &fstest.MapFile{Data: []byte("{\n\"title\": \"x\",\n}\n")}
		}, "demo/index.json:3", "not valid JSON"},
		{"missing step file", func(m fstest.MapFS) { delete(m, "demo/step1/text.md") }, "demo/index.json:6", "step1/text.md: no such file"},
		{"missing verify script", func(m fstest.MapFS) { delete(m, "demo/step1/verify.sh") }, "demo/index.json:6", "step1/verify.sh: no such file"},
		{"10 MB text file", func(m fstest.MapFS) {
			m["demo/step1/text.md"] = &fstest.MapFile{Data: []byte(strings.Repeat("a", 10<<20))}
		}, "demo/step1/text.md", "larger than nslab reads"},
		{"unknown field", func(m fstest.MapFS) {
			m["demo/index.json"] = &fstest.MapFile{Data: []byte(`{"title": "x", "details": {"steps": [{"text": "step1/text.md", "verfiy": "step1/verify.sh"}]}}`)}
		}, "demo/index.json:1", `unknown field "details.steps[0].verfiy"`},
		{"wrong type", func(m fstest.MapFS) {
			m["demo/index.json"] = &fstest.MapFile{Data: []byte("{\"title\": \"x\",\n \"details\": {\"steps\": 3}}")}
		}, "demo/index.json:2", "want a"},
		{"no steps", func(m fstest.MapFS) {
			m["demo/index.json"] = &fstest.MapFile{Data: []byte(`{"title": "x", "details": {}}`)}
		}, "demo/index.json", "at least one step"},
		{"path outside the folder", func(m fstest.MapFS) {
			m["demo/index.json"] = &fstest.MapFile{Data: []byte(`{"title": "x", "details": {"steps": [{"text": "../secret.md"}]}}`)}
		}, "demo/index.json", "relative path inside its folder"},
		{"unclosed code block", func(m fstest.MapFS) { m["demo/step1/text.md"] = &fstest.MapFile{Data: []byte("text\n\n```\nls\n")} }, "demo/step1/text.md:3", "never closed"},
		{"unsupported marker", func(m fstest.MapFS) {
			m["demo/step1/text.md"] = &fstest.MapFile{Data: []byte("Open [the app]({{TRAFFIC_HOST1_80}})\n")}
		}, "demo/step1/text.md:1", "not supported by nslab"},
		{"not UTF-8", func(m fstest.MapFS) { m["demo/intro.md"] = &fstest.MapFile{Data: []byte("ok\n\xff\n")} }, "demo/intro.md:2", "not UTF-8"},
		{"bad view", func(m fstest.MapFS) { m["demo/intro.md"] = &fstest.MapFile{Data: []byte("<!-- nslab view=nope -->\n")} }, "demo/intro.md:1", "unknown view"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := validFiles()
			c.edit(m)
			l, err := Load(m, "demo")
			if err == nil {
				t.Fatalf("loaded %q; want a problem naming %s", l.Name, c.file)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.file) || !strings.Contains(msg, c.words) {
				t.Fatalf("problem %q: want it to name %q and say %q", msg, c.file, c.words)
			}
		})
	}
	if _, err := Load(validFiles(), "demo"); err != nil {
		t.Fatalf("the valid lesson: %v", err)
	}
}

// A folder with one bad lesson still gives the good ones.
func TestLoadAllKeepsTheGoodLessons(t *testing.T) {
	m := validFiles()
	for k, v := range validFiles() {
		m["good/"+strings.TrimPrefix(k, "demo/")] = v
	}
	delete(m, "demo/intro.md")
	ls, ps := LoadAll(m, "course")
	if len(ls) != 1 || ls[0].Name != "good" {
		t.Fatalf("lessons %v, want only good", ls)
	}
	if len(ps) != 1 || !strings.Contains(ps[0].String(), "demo/index.json") || !strings.Contains(ps[0].Msg, "intro.md") {
		t.Fatalf("problems %v, want one naming demo's missing intro.md", ps)
	}
}

func TestKillercodaScenario(t *testing.T) {
	ls, ps := LoadAll(os.DirFS("testdata"), "testdata")
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if len(ls) != 1 || ls[0].Name != "killercoda-demo" {
		t.Fatalf("lessons %v", ls)
	}
	l := ls[0]
	if l.Intro == nil || l.Intro.Background.IsZero() || l.Intro.Foreground.IsZero() || len(l.Steps) != 2 || l.Finish == nil {
		t.Fatalf("intro, steps, finish not all read: %+v", l)
	}
	step1 := l.Steps[0].Text
	if len(step1.Commands) != 3 || step1.Commands[0].Text != "GREETING=hello-from-step1\necho $GREETING" || step1.Commands[0].Action != ActionExec ||
		step1.Commands[1].Action != ActionCopy || step1.Commands[2].Text != "true" {
		t.Fatalf("step 1 commands: %+v", step1.Commands)
	}
	step2 := l.Steps[1].Text
	if len(step2.Commands) != 1 || !strings.Contains(step2.HTML, "<details>") || !strings.Contains(step2.HTML, "<summary>Solution</summary>") {
		t.Fatalf("step 2: the exec block inside <details> is lost: %q %+v", step2.HTML, step2.Commands)
	}
	if len(l.Ignored) == 0 || !strings.Contains(strings.Join(l.Ignored, "\n"), "backend") {
		t.Fatalf("ignored fields not reported: %v", l.Ignored)
	}
	// Killercoda's scenarios ship scripts as 644; nslab reads them anyway.
	if len(l.Scripts()) != 4 {
		t.Fatalf("scripts: %d, want 4", len(l.Scripts()))
	}
}

func TestBuiltinLessons(t *testing.T) {
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != len(BuiltinOrder) || ls[0].Name != "namespaces" {
		t.Fatalf("built-in lessons: %d, first %q", len(ls), ls[0].Name)
	}
	for _, l := range ls {
		if len(l.Steps) < 4 || len(l.Steps) > 8 {
			t.Errorf("%s: %d steps, want 4 to 8", l.Name, len(l.Steps))
		}
		for i, s := range l.Steps {
			if s.Verify.IsZero() || s.Text == nil || s.Text.View == "" || len(s.Text.Commands) == 0 {
				t.Errorf("%s step %d: want a verify script, a view and a command", l.Name, i+1)
			}
		}
		if ps := LabFit(l); len(ps) > 0 {
			t.Errorf("%s: %v", l.Name, ps)
		}
	}
}

func TestMarkdownIsSafe(t *testing.T) {
	src := strings.Join([]string{
		`<script>alert(1)</script>`,
		``,
		`<img src=x onerror=alert(1)> and <a href="javascript:alert(1)">x</a>`,
		``,
		`[click](javascript:alert(1)) [tab](java	script:x) [ok](https://example.com/a?b=1) [rel](step2/text.md)`,
		``,
		`<details open onclick="alert(1)"><summary style="x">S</summary>`,
		``,
		"```plain",
		`</code><script>alert(2)</script>`,
		"```{{exec}}",
		``,
		`</details>`,
		`**bold** _em_ snake_case_name ` + "`code`",
	}, "\n")
	p := ParseMarkdown("t.md", src)
	checkSafeHTML(t, p.HTML)
	for _, good := range []string{`<details open>`, `<summary>S</summary>`, `<a href="https://example.com/a?b=1"`, `<a href="step2/text.md"`,
		`<strong>bold</strong>`, `<em>em</em>`, `snake_case_name`, `<code>code</code>`, `data-action="exec"`, `&lt;script&gt;alert(2)`} {
		if !strings.Contains(p.HTML, good) {
			t.Errorf("rendered HTML lacks %q:\n%s", good, p.HTML)
		}
	}
	if len(p.Commands) != 1 || p.Commands[0].Text != `</code><script>alert(2)</script>` || p.Commands[0].Line != 10 {
		t.Errorf("commands: %+v", p.Commands)
	}
}

func TestMarkdownBlocks(t *testing.T) {
	p := ParseMarkdown("t.md", "# Title\n\nSome *text*\nover lines.\n\n- one\n- two `ls`{{exec interrupt}}\n\n1. first\n2. second\n\n> quoted\n\n<!-- nslab view=users highlight=host-uid:1000,container-uid:0 -->\n")
	for _, want := range []string{"<h1>Title</h1>", "<p>Some <em>text</em>\nover lines.</p>", "<ul>\n<li>one</li>\n<li>two <code data-command=\"0\" data-action=\"exec\" data-interrupt=\"true\">ls</code></li>\n</ul>", "<ol>\n<li>first</li>", "<blockquote>\n<p>quoted</p>"} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, p.HTML)
		}
	}
	q := ParseMarkdown("t.md", "- a\n  - b\n- c\n\nSee <https://example.com/x>.\n")
	for _, want := range []string{"<li>a\n<ul>\n<li>b</li>\n</ul></li>\n<li>c</li>", `<a href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a>`} {
		if !strings.Contains(q.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, q.HTML)
		}
	}
	if p.View != "users" || len(p.Highlight) != 2 || p.Highlight[0] != (Highlight{"host-uid", "1000"}) {
		t.Errorf("view %q highlight %v", p.View, p.Highlight)
	}
	if len(p.Problems) > 0 {
		t.Errorf("problems: %v", p.Problems)
	}
}

func TestProgress(t *testing.T) {
	p := NewProgress(3)
	p.Tick(0)
	if p.Current() != 1 || p.String() != "1" || p.Finished() {
		t.Fatalf("after one tick: current %d, %q", p.Current(), p)
	}
	q := ParseProgress("1, 3, 9, x,-1", 3)
	if q.String() != "1,3" || q.Current() != 1 {
		t.Fatalf("parsed %q, current %d", q, q.Current())
	}
	q.Tick(1)
	if !q.Finished() {
		t.Fatal("not finished with every step ticked")
	}
}

func TestScheduler(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var s Scheduler
	if s.Due(t0) {
		t.Fatal("due with no change")
	}
	// A burst of changes is one check, after the state is quiet.
	for i := 0; i < 5; i++ {
		s.Changed(t0.Add(time.Duration(i) * 100 * time.Millisecond))
	}
	if s.Due(t0.Add(500 * time.Millisecond)) {
		t.Fatal("due before the debounce after the last change")
	}
	if !s.Due(t0.Add(700 * time.Millisecond)) {
		t.Fatal("not due after the debounce")
	}
	s.Started()
	// A change while the check runs makes another follow it.
	s.Changed(t0.Add(800 * time.Millisecond))
	if s.Due(t0.Add(5 * time.Second)) {
		t.Fatal("due while a check runs")
	}
	s.Finished(t0.Add(time.Second))
	if !s.Due(t0.Add(time.Second + DefaultDebounce)) {
		t.Fatal("the change during the check got no check")
	}
	s.Started()
	s.Finished(t0.Add(2 * time.Second))
	// Changes that never stop still get a check every MaxDelay.
	var c Scheduler
	start := t0.Add(10 * time.Second)
	for i := 0; i < 100; i++ {
		now := start.Add(time.Duration(i) * 100 * time.Millisecond)
		if c.Due(now) {
			if now.Sub(start) > DefaultMaxDelay+100*time.Millisecond {
				t.Fatalf("first check at %s of endless changes", now.Sub(start))
			}
			return
		}
		c.Changed(now)
	}
	t.Fatal("endless changes never got a check")
}

var (
	tagName    = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)
	renderTags = map[string]bool{"a": true, "img": true, "p": true, "pre": true, "code": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"ul": true, "ol": true, "li": true, "blockquote": true, "hr": true, "em": true, "strong": true}
	safeAttr = regexp.MustCompile(`^(\s+(data-command="\d+"|data-action="(exec|copy)"|data-interrupt="true"|class="language-[\w+-]+"|start="\d+"|open|target="_blank"|rel="noopener noreferrer"|alt="[^"]*"|(href|src)="[^"]*"))*$`)
)

// checkSafeHTML fails t when html holds a tag nslab does not write, an
// attribute beyond its own, or a link that is not http(s), mailto or
// relative.
func checkSafeHTML(t testing.TB, html string) {
	t.Helper()
	for _, m := range tagName.FindAllStringSubmatch(html, -1) {
		name := strings.ToLower(m[2])
		if !allowedTags[name] && !renderTags[name] {
			t.Fatalf("rendered HTML holds the tag %q:\n%s", m[0], html)
		}
		if !safeAttr.MatchString(m[3]) {
			t.Fatalf("rendered HTML holds the attributes %q:\n%s", m[3], html)
		}
		for _, u := range regexp.MustCompile(`(?:href|src)="([^"]*)"`).FindAllStringSubmatch(m[3], -1) {
			if _, ok := safeURL(u[1]); !ok || strings.Contains(strings.ToLower(u[1]), "script:") {
				t.Fatalf("rendered HTML links to %q:\n%s", u[1], html)
			}
		}
	}
}

func TestRenderForThePage(t *testing.T) {
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	r := ls[0].Render()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Rendered
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	s := back.Steps[0]
	if back.Name != "namespaces" || len(back.Steps) != len(ls[0].Steps) || s.View != "pids" || s.Verify == "" ||
		s.Commands[0].Text != "sudo unshare --pid --mount-proc --fork --pid sh" || !strings.Contains(s.HTML, `data-command="0"`) {
		t.Fatalf("rendered lesson: %s", b)
	}
}
