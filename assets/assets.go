// Package assets holds the page's static files: the hand-written scripts
// and styles (js/, css/), the icon (img/) and the build outputs in dist/
// (xterm.js copied by build.mjs; the simulator's wasm). The server serves
// FS under /static/.
//
// dist/ is generated and not committed except for dist/.keep, so that the
// package builds before the assets do. It must not hold anything that
// needs a server: the simulator is served from these files alone.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed css img js all:dist
var files embed.FS

// FS is the static files, at paths like "js/lab.js" and "dist/xterm.mjs".
var FS fs.FS = files
