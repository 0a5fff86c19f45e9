//go:build linux

// Package nsengine makes live lab hosts out of real kernel namespaces: it
// spawns a lab (user, pid, mount, uts, ipc, net, cgroup and time namespaces
// with their own init), starts processes and PTYs in it, limits it with
// cgroups and tears it down completely. Its sub-package inspect reads a
// lab's state from procfs into nsstate.
//
// How a lab is made: Spawn re-executes the running binary as the lab's init
// inside fresh namespaces, with the lab's 65536 user and group IDs mapped to
// a range of unprivileged host IDs that no other lab and no real user has.
// It does so through the lab's anchor, the same binary once more, which
// makes an outer user namespace whose limits bound the lab as a whole
// (labanchor.go) and is init's parent.
// The engine places init in the lab's cgroups, then tells it to go, and
// sends with that the lab's devpts, which the engine makes itself so that
// the lab cannot remount it and its PTYs come from the machine's reserve
// (labdevpts.go, ptypool.go); init builds the lab's root on a tmpfs
// inside its own mount namespace (nothing on the real machine's file
// systems changes), pivots into it, hardens its
// main thread and re-executes itself from that thread, so that every thread
// of the init that serves the lab is hardened (reexec.go). From then on it
// starts every process of the lab on the engine's request, over a
// SEQPACKET control socket. A multithreaded Go server cannot join a user or
// mount namespace, so this is the only way in. Each hardening step init
// takes is a function of its own in hardening.go (and seccomp.go), with the
// attack it stops; attack_test.go tries those attacks, one TestAttack… per
// escape, and docs/security.md pairs each step with its test.
//
// Lesson checks start another way (StartCheck, labcheck.go): through a
// launcher the anchor forks, with credentials of the outer namespace, so
// that the lab's root, who may trace every process of its own namespace,
// cannot trace a check.
//
// Config.Warm keeps labs spawned ahead of demand, so Spawn returns at
// once; without it a lab takes a few milliseconds (see bench_test.go).
//
// Any binary that links this package can be a lab's init (and anchor): the
// package's init functions recognise the re-executed process and never returns to
// the program's main (see labinit.go). Test binaries need no TestMain.
//
// What it must not do: trust anything that comes from inside a lab (init
// runs as the lab's root, and the lab's root can ptrace it, so every message
// on the control socket is bounded and checked), leave a process, mount,
// cgroup, ID slot or folder behind, or import the simulator.
package nsengine
