#!/bin/bash
# Passes when a process keeps a UTS namespace of its own named "demo".
host=$(readlink /proc/1/ns/uts)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/uts" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	[ "$(nsenter -t "${d#/proc/}" -u hostname 2>/dev/null)" = demo ] && exit 0
done
exit 1
