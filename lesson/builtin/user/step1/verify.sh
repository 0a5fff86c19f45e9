#!/bin/bash
# Passes when a user namespace other than the lab host's has no uid map.
host=$(readlink /proc/1/ns/user)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/user" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	[ -z "$(cat "$d/uid_map" 2>/dev/null)" ] && exit 0
done
exit 1
