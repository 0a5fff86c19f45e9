#!/bin/bash
# Passes when another IPC namespace has a shared memory segment.
host=$(readlink /proc/1/ns/ipc)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/ipc" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	nsenter -t "${d#/proc/}" -i ipcs -m 2>/dev/null | grep -q "^0x" && exit 0
done
exit 1
