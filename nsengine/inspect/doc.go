//go:build linux

// Package inspect is nslab's live inspector: it reads procfs and the
// namespace ioctls of the real machine and returns an nsstate.Snapshot of
// one lab host as the lab host sees it, including every namespace that the
// visitor made inside the lab.
//
// It only reads. It must not change anything it inspects: it enters a
// lab's UTS, IPC and network namespaces only on a locked thread of its own,
// and returns that thread to the server's namespaces (or lets it die)
// before anything else can run there. It does not start, stop or limit
// labs; that is the lab lifecycle's job (package nsengine).
//
// Everything it reads is the lab's to shape, so each snapshot has a Budget
// (bytes read, JSON size, counts, string lengths); a lab over it gets a
// snapshot cut to it that says so (nsstate.Snapshot.Truncated).
//
// The parsers of procfs files are separate small functions that never
// panic on garbage; each has a fuzz target.
package inspect
