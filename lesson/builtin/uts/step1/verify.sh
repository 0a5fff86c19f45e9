#!/bin/bash
# Passes when a UTS namespace other than the lab host's is named container1.
host=$(readlink /proc/1/ns/uts)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/uts" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	[ "$(nsenter -t "${d#/proc/}" -u hostname 2>/dev/null)" = container1 ] && exit 0
done
exit 1
