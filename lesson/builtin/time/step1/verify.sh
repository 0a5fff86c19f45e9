#!/bin/bash
# Passes when a time namespace has a boot-time offset of 86400 s.
host=$(readlink /proc/1/ns/time)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/time" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	grep -q "^boottime *86400 " "$d/timens_offsets" 2>/dev/null && exit 0
done
exit 1
