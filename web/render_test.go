package web

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/nslab/nslab/nsstate"
)

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatalf("render: %v", err)
	}
	return b.String()
}

var trRE = regexp.MustCompile(`<tr[^>]*>`)

// rowWith returns the first <tr> start tag that carries attr="value".
func rowWith(html, attr, value string) string {
	for _, tag := range trRE.FindAllString(html, -1) {
		if strings.Contains(tag, " "+attr+`="`+value+`"`) {
			return tag
		}
	}
	return ""
}

func TestViewsRender(t *testing.T) {
	s := testSnapshot()
	html := render(t, Views(s, ""))
	ctrKey := nsstate.SetKey(ctrNS())

	tests := []struct {
		name, attr, value string
		has               []string
		lacks             []string
	}{
		{"sleep has both PIDs", "data-host-pid", "22",
			[]string{`data-container-pid="2"`, `data-set="` + ctrKey + `"`, "in-ctr"}, nil},
		{"init is invisible in the container", "data-host-pid", "1",
			[]string{"hidden-in-ctr"}, []string{"data-container-pid"}},
		{"uid 1000 is unmapped in the container", "data-host-uid", "1000",
			[]string{`data-container-uid="65534"`, `data-pid="30"`}, nil},
		{"the container's tmpfs", "data-mountpoint", "/mnt",
			[]string{`data-side="container"`, `class="only"`}, nil},
		{"the host's /usr", "data-mountpoint", "/usr",
			[]string{`data-side="host"`}, []string{"only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := rowWith(html, tt.attr, tt.value)
			if row == "" {
				t.Fatalf("no row with %s=%q", tt.attr, tt.value)
			}
			for _, h := range tt.has {
				if !strings.Contains(row, h) {
					t.Errorf("row %s lacks %s", row, h)
				}
			}
			for _, l := range tt.lacks {
				if strings.Contains(row, l) {
					t.Errorf("row %s has %s", row, l)
				}
			}
		})
	}
	for _, want := range []string{
		`id="v-status"`, `id="v-map"`, `id="v-pids"`, `id="v-users"`, `id="v-mounts"`, `id="v-compact"`,
		"200000000–200065535", "setgroups deny",
		`data-userns="` + ctrUser + `"`, `data-map="uid" data-inside="0–0" data-outside="0–0"`, ">shared:2<", ">private<", ">box<",
		`<th class="set ctr selected" data-set="` + ctrKey + `" title="look from this set" tabindex="0" role="button">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("views lack %q", want)
		}
	}
}

// Every section id appears once, so that the page can swap sections by id.
func TestSectionIDsUnique(t *testing.T) {
	html := render(t, Views(testSnapshot(), ""))
	ids := regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(html, -1)
	seen := map[string]bool{}
	for _, m := range ids {
		if seen[m[1]] {
			t.Errorf("id %q appears twice", m[1])
		}
		seen[m[1]] = true
	}
}

// Names come from the lab, which the visitor controls: they must arrive
// escaped.
func TestViewsEscape(t *testing.T) {
	s := testSnapshot()
	s.Namespace(ctrUTS).Hostname = `<img src=x onerror=alert(1)>`
	s.Processes[4].Cmdline = []string{`<script>alert(1)</script>`}
	html := render(t, Views(s, ""))
	if strings.Contains(html, "<img src=x") || strings.Contains(html, "<script>") {
		t.Error("lab-controlled text reached the HTML unescaped")
	}
	if !strings.Contains(html, "&lt;img src=x") {
		t.Error("escaped hostname missing")
	}
}

func TestStatusWhenHostPicked(t *testing.T) {
	html := render(t, Views(testSnapshot(), nsstate.SetKey(hostNS())))
	if !strings.Contains(html, "shows the lab host itself") || strings.Contains(html, "nothing is unshared yet") {
		t.Errorf("status for a picked lab host is wrong:\n%s", html[:min(len(html), 600)])
	}
}

func TestPagesRender(t *testing.T) {
	tests := []struct {
		name       string
		c          templ.Component
		has, lacks []string
	}{
		{"landing", Landing(testLessons), []string{`id="start"`, "Start a live lab", `href="/sim"`, `src="/static/js/landing.js"`, `data-start-lesson="pid"`, "PID namespaces"}, nil},
		{"lab", LabPage("abc123"), []string{`data-mode="live"`, `data-lab="abc123"`, `id="term-0"`, `id="add-term"`, `id="font-up"`, "Waiting for the lab", `src="/static/js/lab.js"`}, []string{`id="loading"`, "data-wasm-bytes"}},
		{"sim", SimPage(testLessons, 7000000), []string{`href="?lesson=pid"`, `data-mode="sim"`, `id="term-0"`, `src="/static/js/lab.js"`, `href="/static/dist/nslab.wasm"`, `src="/static/dist/wasm_exec.js"`, `data-wasm-bytes="7000000"`, `id="loading"`, "<progress"}, nil},
		{"sim exported", SimPageAt("static/", "./", nil, 0), []string{`data-mode="sim"`, `src="static/js/lab.js"`, `href="static/dist/xterm.mjs"`, `href="static/dist/nslab.wasm"`, `class="brand" href="./"`, `id="loading"`}, []string{"data-wasm-bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := render(t, tt.c)
			for _, h := range tt.has {
				if !strings.Contains(html, h) {
					t.Errorf("%s page lacks %s", tt.name, h)
				}
			}
			for _, l := range tt.lacks {
				if strings.Contains(html, l) {
					t.Errorf("%s page has %s", tt.name, l)
				}
			}
			if strings.HasPrefix(tt.name, "sim exported") && strings.Contains(html, `="/`) {
				t.Errorf("the exported page has an absolute address, which breaks under a path prefix:\n%s", html)
			}
			// The server's CSP forbids inline scripts: every script is a file.
			for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(html, -1) {
				if !strings.Contains(m, "src=") {
					t.Errorf("inline script %s", m)
				}
			}
		})
	}
}

// Views draws whatever a snapshot holds and whatever selection a client
// sends, without panicking.
func FuzzViews(f *testing.F) {
	seed, err := json.Marshal(testSnapshot())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, "")
	f.Add(seed, nsstate.SetKey(hostNS()))
	f.Add([]byte(`{"version":1,"host":{"pid":"pid:[1]"},"processes":[{"pid":1,"ppid":1,"nspid":[1,2,3],"ns":{"pid":"pid:[9]"}}]}`), "x")
	f.Add([]byte(`{"version":1,"host":{"user":"user:[1]"},"namespaces":[{"id":"user:[1]","type":"user","inode":1,"parent":"user:[1]","uid_map":[[0,4294967295,4294967295]]}]}`), "")
	f.Fuzz(func(t *testing.T, data []byte, selected string) {
		var s nsstate.Snapshot
		if json.Unmarshal(data, &s) != nil {
			return
		}
		var b strings.Builder
		if err := Views(&s, selected).Render(context.Background(), &b); err != nil {
			t.Fatalf("render: %v", err)
		}
	})
}

func BenchmarkViews(b *testing.B) {
	s := testSnapshot()
	for b.Loop() {
		var sb strings.Builder
		if err := Views(s, "").Render(context.Background(), &sb); err != nil {
			b.Fatal(err)
		}
	}
}

// A truncated snapshot says so in the views, and a whole one does not.
func TestTruncatedSnapshotIsNoted(t *testing.T) {
	if html := render(t, Views(testSnapshot(), "")); strings.Contains(html, `data-truncated`) {
		t.Errorf("a whole snapshot is noted as truncated")
	}
	s := testSnapshot()
	s.Truncated = &nsstate.Truncation{Cut: []string{"mounts: at most 2000 per mount namespace"}}
	if html := render(t, Views(s, "")); !strings.Contains(html, `data-truncated="true"`) {
		t.Errorf("a truncated snapshot is not noted in the views")
	}
}

var testLessons = []LessonItem{{Name: "pid", Title: "PID namespaces", Description: "One shell, two PIDs."}}

// The lesson panel carries the page contracts: data-lesson on the panel,
// data-step (1-based) on each step, data-done="true" on ticked steps only,
// and the current step open.
func TestLessonPanelRenders(t *testing.T) {
	v := LessonView{
		Name: "pid", Title: "PID namespaces",
		Intro: &LessonPart{HTML: "<p>intro</p>"},
		Steps: []LessonPart{
			{Title: "One", HTML: `<pre data-command="0" data-action="exec"><code>unshare -p</code></pre>`, View: "pids"},
			{Title: "Two", HTML: "<p>two</p>", Highlight: []string{"host-uid:1000"}},
			{Title: "Three", HTML: "<p>three</p>"},
		},
		Finish: &LessonPart{HTML: "<p>done</p>"},
		Done:   []bool{true, false, false},
	}
	html := render(t, LessonPanel(v))
	for _, want := range []string{
		`data-lesson="pid"`, `data-step="1"`, `data-step="2"`, `data-step="3"`,
		`data-view="pids"`, `data-highlight="host-uid:1000"`, `data-action="exec"`,
		"1 of 3 steps done", `id="lesson-finish" hidden`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("panel lacks %s:\n%s", want, html)
		}
	}
	if n := strings.Count(html, `data-done="true"`); n != 1 {
		t.Errorf("%d steps marked done, want 1:\n%s", n, html)
	}
	// The current step (2) is the open one.
	i := strings.Index(html, `data-step="2"`)
	if j := strings.Index(html[i:], "<details"); j < 0 || !strings.HasPrefix(html[i+j:], `<details class="lesson-part" open`) {
		t.Errorf("step 2 is not open:\n%s", html[i:])
	}
}
