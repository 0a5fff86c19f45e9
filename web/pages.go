package web

// head is what a page's <head> loads. static is the address of the
// static files (package assets), ending in "/": staticBase on the
// server, a relative "static/" in an exported site, which then works
// under any path prefix. The other paths are relative to static.
type head struct {
	title, mode string
	static      string
	entry       string   // the page's script, a module
	modules     []string // the modules entry imports, preloaded with it
	fetches     []string // files entry will fetch, started with the page
	scripts     []string // classic scripts, run before entry
}

// staticBase is where the server serves the static files.
const staticBase = "/static/"

// labEntry is the lab page's script; labModules are the modules it
// imports, preloaded with it. They must match the imports in
// assets/js/lab.js: the assets package's tests check both.
const labEntry = "js/lab.js"

var labModules = []string{
	"dist/xterm.mjs",
	"dist/addon-fit.mjs",
	"js/transport.js",
	"js/views.js",
	"js/lesson.js",
	"js/restore.js",
	"js/embed.js",
	"js/share.js",
	"js/presenter.js",
	"js/record.js",
}

// SimWasm is the simulator's wasm among the static files; its size is
// what SimPage's loading progress counts to.
const SimWasm = "dist/nslab.wasm"

// simFetches and simScripts are what the simulator's transport
// (assets/js/transport.js) needs: the wasm, whose download then overlaps
// with the scripts', and Go's wasm_exec.js, which the transport only
// loads itself when it is not there yet.
var (
	simFetches = []string{SimWasm}
	simScripts = []string{"dist/wasm_exec.js"}
)

// audienceEntry is the audience page's script; audienceModules the
// modules it imports (assets/js/audience.js), preloaded with it.
const audienceEntry = "js/audience.js"

var audienceModules = []string{
	"dist/xterm.mjs",
	"dist/addon-fit.mjs",
	"js/transport.js",
	"js/views.js",
	"js/presenter.js",
}

// termTitle is a terminal's number as people count: "0" is terminal 1.
func termTitle(n string) string {
	return string(rune(n[0] + 1))
}
