#!/bin/bash
# Passes when no process is left in a mount namespace other than the lab host's.
host=$(readlink /proc/1/ns/mnt)
for f in /proc/[0-9]*/ns/mnt; do
	ns=$(readlink "$f" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] && exit 1
done
exit 0
