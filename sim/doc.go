// Package sim is nslab's simulated Linux kernel and userland: a lab host
// with all eight namespace types, processes, credentials and mounts, and a
// shell with the tools a namespace lesson uses (unshare, nsenter, ps, id,
// mount, findmnt, lsns, ip, ipcmk …), printing what the real tools print.
// It runs where no real namespaces can be made: compiled to WebAssembly in
// the browser, or as `nslab sim`.
//
// The kernel model reads like gVisor's auth package: IDs as a user
// namespace sees them (UID, GID) and as the kernel keeps them (KUID, KGID)
// are distinct types; every permission check sits under the sentence of
// user_namespaces(7), pid_namespaces(7) or mount_namespaces(7) it
// implements; failures are the errno values the kernel returns (Errno).
// Its fidelity is measured against a live lab by the scenarios in
// testdata (see fidelity_test.go).
//
// API:
//
//	lab := sim.NewLab(sim.Options{})        // a fresh lab host, as a live one starts
//	status := lab.Run("unshare -Ur id", stdout, stderr) // sh -c CMDLINE, like nslab run
//	term := lab.NewTerminal(rows, cols, func(b []byte) { … }) // a login shell on a terminal
//	term.Write([]byte("hostname\r"))        // keystrokes: echo, line editing, ^C, ^D
//	lab.Advance(time.Second)                // let simulated time pass (sleeping jobs)
//	d, ok := lab.NextTimer()                // when the next sleeper wakes
//	more := lab.Pump(100000)                // go on with a long computation
//	snap := lab.Snapshot()                  // nsstate.Snapshot, source "sim"
//	lab.Close()
//
// Run jumps the clock over sleeps; a Terminal's time passes only through
// Advance, which a page calls from a timer. Terminal.Write returns after a
// bounded amount of work; while Pump reports more, the page calls it again,
// so an endless loop cannot freeze it and ^C still reaches it.
//
// A Lab is safe for use from several goroutines; calls take turns. Every
// simulated process runs in a goroutine of its own but only one runs at a
// time, handed the CPU by a deterministic scheduler (sched.go), so a
// command gives the same PIDs and output every time. Sleeps move a
// simulated clock instead of waiting.
//
// The package must stay portable: it imports only the standard library
// and nsstate, makes no system calls and builds for GOOS=js GOARCH=wasm.
// It must not import nsengine: the two meet only through nsstate and the
// command line.
package sim
