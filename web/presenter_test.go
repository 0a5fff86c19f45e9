package web

import (
	"regexp"
	"strings"
	"testing"

	"github.com/nslab/nslab/lesson"
)

var shortcutRowRE = regexp.MustCompile(`<tr data-shortcut="([^"]*)" data-keys="([^"]*)">`)

// The "?" list is presenter.js's keymap: every row must name an action
// and keys, no key may do two things, and the keys presenter mode is
// documented with must be there.
func TestShortcutListIsAKeymap(t *testing.T) {
	html := render(t, LabPage("abc"))
	rows := shortcutRowRE.FindAllStringSubmatch(html, -1)
	if len(rows) != len(shortcuts) {
		t.Fatalf("the page lists %d shortcuts, want %d:\n%s", len(rows), len(shortcuts), html)
	}
	action := map[string]string{}
	for _, r := range rows {
		if r[1] == "" || r[2] == "" {
			t.Errorf("shortcut row %q has no action or no keys", r[0])
		}
		for _, k := range strings.Fields(r[2]) {
			if prev, ok := action[k]; ok {
				t.Errorf("key %q does both %s and %s", k, prev, r[1])
			}
			action[k] = r[1]
		}
	}
	for k, want := range map[string]string{"p": "presenter", "1": "view:pids", "2": "view:users", "3": "view:mounts", "4": "view:map", "f": "freeze", "b": "blank", "?": "help"} {
		if action[k] != want {
			t.Errorf("key %q does %q, want %q", k, action[k], want)
		}
	}
}

// Presenter mode shows a view by its section's id (v-NAME) and follows a
// lesson step's view=NAME: each view it offers must be both.
func TestPresenterViewsAreViewsAndLessonViews(t *testing.T) {
	views := render(t, Views(testSnapshot(), ""))
	page := render(t, SimPage(nil, 0))
	for _, v := range presenterViews {
		if !strings.Contains(views, `<section id="v-`+v.Name+`"`) {
			t.Errorf("the views have no section v-%s", v.Name)
		}
		if !strings.Contains(page, `data-view-pick="`+v.Name+`"`) {
			t.Errorf("the page has no button for the %s view", v.Name)
		}
		p := lesson.ParseMarkdown("step.md", "<!-- nslab view="+v.Name+" -->\n")
		if p.View != v.Name || len(p.Problems) > 0 {
			t.Errorf("a lesson step cannot name view=%s: view %q, problems %v", v.Name, p.View, p.Problems)
		}
	}
}
