#!/bin/bash
# Passes when a user namespace maps uid 0 to student, uid 1000.
for d in /proc/[0-9]*; do
	read -r inside outside count < "$d/uid_map" 2>/dev/null || continue
	[ "$inside" = 0 ] && [ "$outside" = 1000 ] && exit 0
done
exit 1
