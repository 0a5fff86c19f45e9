// Package web holds nslab's pages and views as templ components: the
// landing page, the lab page (terminals beside the views), the simulator
// page, and Views, which draws one nsstate.Snapshot as seen from the lab
// host and from one chosen container.
//
// The server renders these components for live labs and the wasm build
// renders the very same ones in the browser for simulated labs, so the
// package must build for GOOS=js: it imports only the standard library,
// templ and nsstate, and does no I/O of its own. What a view shows is
// decided in plain Go view models (views.go and its neighbours); the
// templates only lay those out.
package web
