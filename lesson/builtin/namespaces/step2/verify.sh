#!/bin/bash
# Passes when every process is back in the lab host's PID namespace.
host=$(readlink /proc/1/ns/pid)
for f in /proc/[0-9]*/ns/pid; do
	ns=$(readlink "$f" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] && exit 1
done
exit 0
