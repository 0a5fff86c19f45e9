#!/bin/bash
# Passes when the new PID namespace holds a process that is not its PID 1.
host=$(readlink /proc/1/ns/pid)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/pid" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	set -- $(grep NSpid "$d/status" 2>/dev/null)
	[ $# -ge 3 ] && eval "[ \"\${$#}\" != 1 ]" && exit 0
done
exit 1
