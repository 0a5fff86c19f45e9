#!/bin/bash
# Passes when another mount namespace has a bind mount on /tmp/view.
host=$(readlink /proc/1/ns/mnt)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/mnt" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	grep -q " /tmp/view " "$d/mountinfo" 2>/dev/null && exit 0
done
exit 1
