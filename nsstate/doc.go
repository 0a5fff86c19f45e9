// Package nsstate is nslab's state model: what a lab host's namespaces and
// processes look like, as seen from the lab host, in a form that the live
// engine (nsengine), the simulator (sim) and the views (web) all share.
//
// It holds plain data, its JSON form (documented in docs/state.md), the
// translation rules the views need (PIDs through NSpid chains, IDs through
// uid/gid maps) and a diff of two snapshots for the live stream.
//
// It must not do I/O or import anything but the standard library: it builds
// for GOOS=js and is the only meeting point of nsengine and sim.
package nsstate
