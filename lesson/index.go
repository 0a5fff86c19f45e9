package lesson

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// This file reads index.json, Killercoda's scenario description:
//
//	{"title": …, "description": …,
//	 "details": {"intro": {"text", "background", "foreground"},
//	             "steps": [{"title", "text", "verify", "background", "foreground"}],
//	             "finish": {"text", "background", "foreground"},
//	             "assets": …},
//	 "backend": {"imageid": …}, "interface": {"layout": …},
//	 "difficulty": …, "time": …}
//
// Every field Killercoda documents is accepted; the ones that configure
// Killercoda's machines and UI (backend, interface, assets, difficulty,
// time) are read and ignored, and `lessons check` says so. A field nobody
// knows is an error naming its line: usually a typo ("verfiy").

type indexPart struct {
	Title      string `json:"title"`
	Text       string `json:"text"`
	Verify     string `json:"verify"`
	Background string `json:"background"`
	Foreground string `json:"foreground"`
}

type index struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Details     struct {
		Intro  *indexPart   `json:"intro"`
		Steps  []*indexPart `json:"steps"`
		Finish *indexPart   `json:"finish"`
	} `json:"details"`

	lines   map[string]int // "details.steps[0].text" → line of its key
	ignored []string
}

// knownFields are index.json's fields, with [] for any array index. A
// field under an ignored one (backend.imageid) is ignored with it.
var knownFields = map[string]string{
	"title":         "",
	"description":   "",
	"details":       "",
	"details.intro": "", "details.steps": "", "details.steps[]": "", "details.finish": "",
	"details.intro.title": "", "details.intro.text": "", "details.intro.background": "", "details.intro.foreground": "",
	"details.steps[].title": "", "details.steps[].text": "", "details.steps[].verify": "",
	"details.steps[].background": "", "details.steps[].foreground": "",
	"details.finish.title": "", "details.finish.text": "", "details.finish.background": "", "details.finish.foreground": "",
	"details.assets": "files copied onto Killercoda's hosts; an nslab lab host has only what its machine has",
	"backend":        "Killercoda's machine image; an nslab lesson runs on nslab's lab host",
	"interface":      "Killercoda's page layout; nslab's page is its own",
	"difficulty":     "shown by Killercoda's catalogue only",
	"time":           "shown by Killercoda's catalogue only",
}

var arrayIndex = regexp.MustCompile(`\[\d+\]`)

// parseIndex reads index.json, or returns nil having said why.
func (ld *loader) parseIndex(data []byte) *index {
	lines, err := keyLines(data)
	if err != nil {
		var se *json.SyntaxError
		line := 0
		if errors.As(err, &se) {
			line = lineAt(data, se.Offset)
		}
		ld.add("index.json", line, "not valid JSON: %v", err)
		return nil
	}
	idx := &index{lines: lines}
	keys := make([]string, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ignoredSeen := map[string]bool{}
	for _, k := range keys {
		if k == "" {
			continue
		}
		general := arrayIndex.ReplaceAllString(k, "[]")
		if why, ok := knownFields[general]; ok {
			if why != "" && !ignoredSeen[general] {
				ignoredSeen[general] = true
				idx.ignored = append(idx.ignored, general+": ignored ("+why+")")
			}
			continue
		}
		if under := ignoredParent(general); under != "" {
			continue
		}
		ld.add("index.json", lines[k], "unknown field %q (a typo? nslab knows Killercoda's index.json fields, listed in docs/lessons.md)", k)
	}
	if err := json.Unmarshal(data, idx); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			ld.add("index.json", lineAt(data, te.Offset), "%s: want a %s, not a JSON %s", te.Field, te.Type, te.Value)
		} else {
			ld.add("index.json", 0, "%v", err)
		}
		return nil
	}
	if len(ld.problems) > 0 {
		return nil
	}
	return idx
}

// ignoredParent returns the ignored field a field sits under, if any.
func ignoredParent(k string) string {
	for p, why := range knownFields {
		if why != "" && strings.HasPrefix(k, p+".") || why != "" && strings.HasPrefix(k, p+"[") {
			return p
		}
	}
	return ""
}

// keyLines walks a JSON document and returns the line of every field and
// array element, by path ("details.steps[1].verify").
func keyLines(data []byte) (map[string]int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	lines := map[string]int{}
	var walk func(p string, depth int) error
	walk = func(p string, depth int) error {
		if depth > 32 {
			return &json.SyntaxError{Offset: dec.InputOffset()}
		}
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := kt.(string)
				sub := key
				if p != "" {
					sub = p + "." + key
				}
				lines[sub] = lineAt(data, dec.InputOffset())
				if err := walk(sub, depth+1); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				sub := p + "[" + strconv.Itoa(i) + "]"
				lines[sub] = lineAt(data, dec.InputOffset()+1)
				if err := walk(sub, depth+1); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		}
		return err
	}
	if err := walk("", 0); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("more than one JSON value")
	}
	return lines, nil
}

// lineAt is the 1-based line of byte offset off.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}
