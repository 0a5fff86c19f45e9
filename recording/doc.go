// Package recording writes and reads a lab's recording: one file that is
// an asciicast v2 recording of the lab's first terminal (so asciinema's
// own tools play its terminal part) with the lab's namespace state
// timeline alongside, as events of a type of its own ("s") that
// asciinema's players skip. docs/recording.md describes the file.
//
// The server records live labs with it and the simulator's wasm records
// simulated ones, so both write the same file; the replay page reads it
// back through the wasm (Timeline). It holds no OS calls and builds for
// GOOS=js: it must not import more than nsstate and the standard library.
package recording
