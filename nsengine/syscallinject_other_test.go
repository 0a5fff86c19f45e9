//go:build linux && !amd64

package nsengine

import "runtime"

// injectSyscall is written for amd64's registers only.
func injectSyscall(tid int, nr uintptr, args []uintptr) string {
	return "unsupported on " + runtime.GOARCH
}
