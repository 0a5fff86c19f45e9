//go:build linux && amd64

package nsengine

import (
	"fmt"
	"strconv"

	"golang.org/x/sys/unix"
)

// injectSyscall makes thread tid run system call nr with args, as a lab's
// root who ptraces init would: seize the thread, stop it in the system
// call it sleeps in, point it at that call's own syscall instruction with
// other registers, single-step, read the result and put everything back.
// It returns the injected call's errno ("0" for success), or "busy" when
// the thread is not in a system call (try again), or what failed.
func injectSyscall(tid int, nr uintptr, args []uintptr) string {
	if err := unix.PtraceSeize(tid); err != nil {
		return "seize " + errnoOf(err)
	}
	defer unix.PtraceDetach(tid)
	if err := unix.PtraceInterrupt(tid); err != nil {
		return "interrupt " + errnoOf(err)
	}
	var ws unix.WaitStatus
	if _, err := unix.Wait4(tid, &ws, unix.WALL, nil); err != nil || !ws.Stopped() {
		return fmt.Sprintf("wait %v %v", err, ws)
	}
	var saved unix.PtraceRegs
	if err := unix.PtraceGetRegs(tid, &saved); err != nil {
		return "getregs " + errnoOf(err)
	}
	code := make([]byte, 2)
	if int64(saved.Orig_rax) < 0 {
		return "busy"
	}
	if _, err := unix.PtracePeekText(tid, uintptr(saved.Rip-2), code); err != nil || code[0] != 0x0f || code[1] != 0x05 {
		return "busy"
	}
	regs := saved
	// orig_rax -1: no restart of the interrupted call on the way out.
	regs.Orig_rax = ^uint64(0)
	regs.Rax = uint64(nr)
	regs.Rip = saved.Rip - 2
	var a [6]uint64
	for i := 0; i < len(args) && i < 6; i++ {
		a[i] = uint64(args[i])
	}
	regs.Rdi, regs.Rsi, regs.Rdx, regs.R10, regs.R8, regs.R9 = a[0], a[1], a[2], a[3], a[4], a[5]
	if err := unix.PtraceSetRegs(tid, &regs); err != nil {
		return "setregs " + errnoOf(err)
	}
	if err := unix.PtraceSingleStep(tid); err != nil {
		return "step " + errnoOf(err)
	}
	if _, err := unix.Wait4(tid, &ws, unix.WALL, nil); err != nil || !ws.Stopped() {
		return fmt.Sprintf("wait after step %v %v", err, ws)
	}
	if err := unix.PtraceGetRegs(tid, &regs); err != nil {
		return "getregs " + errnoOf(err)
	}
	// Back as it was: the interrupted call restarts once detached.
	if err := unix.PtraceSetRegs(tid, &saved); err != nil {
		return "restore " + errnoOf(err)
	}
	ret := int64(regs.Rax)
	if ret < 0 && ret > -4096 {
		return strconv.Itoa(int(-ret))
	}
	return "0"
}
