package lesson

import (
	"strings"
	"testing"
	"testing/fstest"
)

func FuzzParseMarkdown(f *testing.F) {
	for _, s := range []string{"# t\n\n```plain\nls\n```{{exec}}\n", "<details><summary>x</summary>\n\n`a`{{copy}}\n</details>", "- a\n  - b\n\n1. c", "[x](javascript:1) <script>", "**a _b_ c**", "<!-- nslab view=pids -->"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p := ParseMarkdown("f.md", src)
		checkSafeHTML(t, p.HTML)
		for _, c := range p.Commands {
			if c.Line < 1 {
				t.Fatalf("command without a line: %+v", c)
			}
		}
	})
}

func FuzzLoadIndex(f *testing.F) {
	for _, s := range []string{`{"title":"x","details":{"steps":[{"text":"t.md","verify":"v.sh"}]}}`, `{"backend":{"imageid":"ubuntu"}}`, `[`, `{"details":{"steps":[[]]}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, index string) {
		m := fstest.MapFS{"l/index.json": {Data: []byte(index)}, "l/t.md": {Data: []byte("x")}, "l/v.sh": {Data: []byte("true")}}
		l, err := Load(m, "l")
		if (l == nil) == (err == nil) {
			t.Fatalf("lesson %v and error %v", l, err)
		}
		if err != nil {
			for _, p := range err.(Problems) {
				if !strings.HasPrefix(p.File, "l") {
					t.Fatalf("problem names no file of the lesson: %v", p)
				}
			}
		}
	})
}
