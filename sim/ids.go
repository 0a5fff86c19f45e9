package sim

import "strconv"

// UID and GID are user and group IDs as some user namespace sees them;
// KUID and KGID are the kernel's own IDs (those of the initial user
// namespace). They are distinct types, as in the kernel and in gVisor, so
// that a missing translation does not compile.
type (
	UID  uint32
	GID  uint32
	KUID uint32
	KGID uint32
)

// NoID is the kernel's (uid_t)-1: "no ID", what from_kuid returns for an
// ID that has no mapping.
const NoID = ^uint32(0)

// OverflowUID is what an ID with no mapping reads as in IDs shown to a
// process (/proc/sys/kernel/overflowuid and overflowgid).
const OverflowUID = 65534

func itoa(n int) string { return strconv.Itoa(n) }
