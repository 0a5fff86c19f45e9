package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/nslab/nslab/nsstate"
)

// version is set at build time with -ldflags "-X main.version=…"; the
// module's build info stands in for it otherwise.
var version = ""

func init() {
	register("version", "print nslab's version", func(args []string) int {
		if len(args) > 0 {
			if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
				fmt.Fprintln(os.Stderr, "usage: nslab version\n\nPrints nslab's version and the state format it writes.")
				return 0
			}
			fmt.Fprintf(os.Stderr, "nslab version: takes no arguments, got %q\nusage: nslab version\n", args)
			return 2
		}
		v := version
		if v == "" {
			v = "devel"
			if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
				v = bi.Main.Version
			}
		}
		fmt.Printf("nslab %s (state format %d)\n", v, nsstate.Version)
		return 0
	})
}
