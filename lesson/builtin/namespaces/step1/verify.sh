#!/bin/bash
# Passes when a process runs in a PID namespace other than the lab host's.
host=$(readlink /proc/1/ns/pid)
for f in /proc/[0-9]*/ns/pid; do
	ns=$(readlink "$f" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] && exit 0
done
exit 1
