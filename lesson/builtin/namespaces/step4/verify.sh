#!/bin/bash
# Passes when a process runs in a user namespace that maps uid 0 inside to
# uid 1000 (student) on the lab host.
for d in /proc/[0-9]*; do
	read -r inside outside count < "$d/uid_map" 2>/dev/null || continue
	[ "$inside" = 0 ] && [ "$outside" = 1000 ] && exit 0
done
exit 1
