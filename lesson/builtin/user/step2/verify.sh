#!/bin/bash
# Passes when a user namespace maps uid 0 to the lab host's uid 0.
for d in /proc/[0-9]*; do
	[ "$(readlink "$d/ns/user" 2>/dev/null)" != "$(readlink /proc/1/ns/user)" ] || continue
	read -r inside outside count < "$d/uid_map" 2>/dev/null || continue
	[ "$inside" = 0 ] && [ "$outside" = 0 ] && exit 0
done
exit 1
