#!/bin/bash
# Passes when a process runs in a cgroup namespace other than the lab host's.
host=$(readlink /proc/1/ns/cgroup)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/cgroup" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	exit 0
done
exit 1
