#!/bin/bash
# Passes when another mount namespace has a tmpfs named scratch on /mnt.
host=$(readlink /proc/1/ns/mnt)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/mnt" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	grep -q " /mnt .* scratch " "$d/mountinfo" 2>/dev/null && exit 0
done
exit 1
