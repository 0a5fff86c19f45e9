// Package server is nslab's HTTP and websocket front: the labs API (create,
// state, exec, delete), the websocket that carries a lab's terminals and its
// state stream, the pages and the embedded static assets. docs/protocol.md
// is its contract.
//
// It owns sessions: a lab plus its token, its terminals and the
// connections watching it, and it ends them (idle timeout, lifetime,
// delete, shutdown). It bounds everything a client sends and everything it
// keeps for a client: request bodies, frames, terminals, connections,
// output not yet acknowledged.
//
// It must not reach into the kernel itself: labs, processes and snapshots
// come from the engine (package nsengine) through the small interfaces in
// engine.go, and HTML comes from the web package's components. With no
// engine it serves simulated labs only.
package server
