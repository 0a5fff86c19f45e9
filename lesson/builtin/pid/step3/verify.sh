#!/bin/bash
# Passes when a process has three PIDs: two namespaces below the lab host's.
host=$(readlink /proc/1/ns/pid)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/pid" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	set -- $(grep NSpid "$d/status" 2>/dev/null)
	[ $# -ge 4 ] && exit 0
done
exit 1
