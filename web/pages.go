package web

// labEntry is the lab page's script; labModules are the modules it
// imports, preloaded with it. They must match the imports in
// assets/js/lab.js: the assets package's tests check both.
const labEntry = "/static/js/lab.js"

var labModules = []string{
	"/static/dist/xterm.mjs",
	"/static/dist/addon-fit.mjs",
	"/static/js/transport.js",
	"/static/js/views.js",
}
