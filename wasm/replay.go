//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"strings"
	"syscall/js"

	"github.com/nslab/nslab/recording"
	"github.com/nslab/nslab/web"
)

// openRecording is nslabSim.openRecording(text): it reads a recording
// (docs/recording.md) for the replay page and returns
// {states: [time…], duration, markers: [[time, label]…], views(i, selected)},
// where views renders the state after state event i (-1: before the
// first) with the components the live views use, or {error} for a file
// that is no recording. The page plays the terminal itself.
func openRecording(this js.Value, args []js.Value) any {
	if len(args) < 1 || args[0].Type() != js.TypeString {
		return js.ValueOf(map[string]any{"error": "openRecording(text): the recording's text is needed"})
	}
	rec, err := recording.Parse(strings.NewReader(args[0].String()))
	if err != nil {
		return js.ValueOf(map[string]any{"error": err.Error()})
	}
	tl := recording.NewTimeline(rec)
	times := make([]any, tl.Len())
	for i := range times {
		times[i] = tl.Time(i)
	}
	markers := make([]any, len(rec.Markers))
	for i, m := range rec.Markers {
		markers[i] = []any{m.Time, m.Label}
	}
	return js.ValueOf(map[string]any{
		"duration": rec.Duration,
		"states":   times,
		"markers":  markers,
		"views": js.FuncOf(func(this js.Value, a []js.Value) any {
			i, selected := -1, ""
			if len(a) > 0 && a[0].Type() == js.TypeNumber {
				i = a[0].Int()
			}
			if len(a) > 1 && a[1].Type() == js.TypeString {
				selected = a[1].String()
			}
			var b bytes.Buffer
			if err := web.Views(tl.At(i), selected).Render(context.Background(), &b); err != nil {
				return "render views: " + err.Error()
			}
			return b.String()
		}),
	})
}
