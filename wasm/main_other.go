//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main outside the browser only says how to build this package; its
// session logic is tested natively (session_test.go).
func main() {
	fmt.Fprintln(os.Stderr, "nslab.wasm runs in a browser: build it with go run ./wasm/build")
	os.Exit(2)
}
