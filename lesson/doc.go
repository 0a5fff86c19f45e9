// Package lesson is nslab's lessons: the folder format (Killercoda's
// scenario layout: index.json, Markdown steps with {{exec}} and {{copy}}
// code blocks, verify scripts passing by exit status 0), its validation,
// the Markdown of a step rendered to safe HTML, the state of a learner's
// steps, and when to run a step's check. The built-in lessons are
// embedded (Builtin).
//
// The server and the simulator's page share it, so it must stay portable:
// it imports only the standard library and makes no OS calls beyond
// reading the fs.FS it is given; it builds for GOOS=js. It does not run
// scripts: whoever has a lab (the server, the simulator, `nslab lessons`)
// runs them, and checks a script's syntax (`bash -n`) from the scripts
// Lesson.Scripts lists.
//
// Documented for authors in docs/lessons.md.
package lesson
