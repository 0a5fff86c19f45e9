#!/bin/bash
# Passes when no process is left in a network namespace other than the lab host's.
host=$(readlink /proc/1/ns/net)
for f in /proc/[0-9]*/ns/net; do
	ns=$(readlink "$f" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] && exit 1
done
exit 0
