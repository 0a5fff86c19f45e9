//go:build linux

package nsengine

// labSocketMemory is how much socket buffer memory a lab may hold. On
// cgroup v2 the kernel charges socket buffers to memory.max with the rest
// of the lab's memory. On cgroup v1 it charges them to nothing unless
// memory.kmem.tcp.limit_in_bytes is set, and then to that counter alone,
// beside memory.limit_in_bytes; so a lab's loopback connections with
// full, unread buffers held hundreds of MiB while its memory was charged
// a few, and a few hundred more connections reached the machine's
// net.ipv4.tcp_mem, where every TCP socket of the machine stalls. A
// quarter of the lab's memory is more than loopback lessons use.
func labSocketMemory(lim Limits) int64 { return lim.MemoryBytes / 4 }
