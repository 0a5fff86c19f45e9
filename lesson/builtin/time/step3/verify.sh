#!/bin/bash
# Passes when no sleep runs in a time namespace other than the lab host's.
host=$(readlink /proc/1/ns/time)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/time" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] && [ "$(cat "$d/comm" 2>/dev/null)" = sleep ] && exit 1
done
exit 0
