#!/bin/bash
# Passes when /mnt/note exists in a mount namespace other than the lab host's.
host=$(readlink /proc/1/ns/mnt)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/mnt" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	[ "$(nsenter -t "${d#/proc/}" -m cat /mnt/note 2>/dev/null)" = hello ] && exit 0
done
exit 1
