//go:build js && wasm

// Command wasm is the simulator's browser entry point: built as nslab.wasm,
// it runs a simulated lab host (package sim) in the page and speaks the
// same messages (package protocol) as a live lab's websocket, rendering the
// views with the very components the server uses (package web).
//
// Build it with `go run ./wasm/build` (the wasm task), which also writes
// wasm_exec.js and a gzip copy; a plain GOOS=js GOARCH=wasm build works
// too but is a fifth bigger (wasm/build says why).
//
// It registers globalThis.nslabSim = {connect(onText, onBinary[, lessonJSON]),
// openRecording(text)}; connect returns {sendText(string),
// sendBinary(Uint8Array), recording()}, recording() being the lab's
// recording so far; openRecording serves the replay page (replay.go). It must not reach
// for the network: everything happens inside the page.
package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/protocol"
)

func main() {
	js.Global().Set("nslabSim", js.ValueOf(map[string]any{
		"connect": js.FuncOf(func(this js.Value, args []js.Value) any {
			if len(args) < 2 || args[0].Type() != js.TypeFunction || args[1].Type() != js.TypeFunction {
				panic("nslabSim.connect(onText, onBinary): two functions needed")
			}
			// A third argument is the lesson the page opened, as
			// lesson.Render makes it (the page fetched lessons/NAME.json).
			var l *lesson.Rendered
			if len(args) > 2 && args[2].Type() == js.TypeString && args[2].String() != "" {
				l = new(lesson.Rendered)
				if err := json.Unmarshal([]byte(args[2].String()), l); err != nil || len(l.Steps) == 0 {
					jsSink{text: args[0]}.Text(mustJSON(protocol.Error{Type: "error", Message: "the lesson could not be read; the simulator runs without it"}))
					l = nil
				}
			}
			s := newLessonSession(jsSink{text: args[0], binary: args[1]}, l)
			return js.ValueOf(map[string]any{
				"sendText": js.FuncOf(func(this js.Value, a []js.Value) any {
					if len(a) > 0 {
						s.text([]byte(a[0].String()))
					}
					return nil
				}),
				"sendBinary": js.FuncOf(func(this js.Value, a []js.Value) any {
					if len(a) > 0 {
						b := make([]byte, a[0].Get("length").Int())
						js.CopyBytesToGo(b, a[0])
						s.binary(b)
					}
					return nil
				}),
				"recording": js.FuncOf(func(this js.Value, a []js.Value) any {
					return string(s.Recording())
				}),
			})
		}),
		"openRecording": js.FuncOf(openRecording),
	}))
	select {}
}

// jsSink delivers the session's messages to the page's callbacks.
type jsSink struct{ text, binary js.Value }

func (j jsSink) Text(b []byte) { j.text.Invoke(string(b)) }

func (j jsSink) Binary(b []byte) {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	j.binary.Invoke(a)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
