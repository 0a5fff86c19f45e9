#!/bin/bash
# Passes when no process is left in a time namespace other than the lab host's.
host=$(readlink /proc/1/ns/time)
for f in /proc/[0-9]*/ns/time; do
	ns=$(readlink "$f" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] && exit 1
done
exit 0
