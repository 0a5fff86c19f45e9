package main

import (
	"fmt"
	"runtime/debug"

	"github.com/nslab/nslab/nsstate"
)

// version is set at build time with -ldflags "-X main.version=…"; the
// module's build info stands in for it otherwise.
var version = ""

func init() {
	register("version", "print nslab's version", func([]string) int {
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
