#!/bin/bash
# Passes when every process is back in the lab host's UTS namespace and it is still named lab.
[ "$(hostname)" = lab ] || exit 1
host=$(readlink /proc/1/ns/uts)
for f in /proc/[0-9]*/ns/uts; do
	ns=$(readlink "$f" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] && exit 1
done
exit 0
