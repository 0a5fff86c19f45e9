#!/bin/bash
# Passes when /tmp/made-inside exists, owned by uid 1000, and no process runs as student any more.
[ "$(stat -c %u /tmp/made-inside 2>/dev/null)" = 1000 ] || exit 1
for d in /proc/[0-9]*; do
	while read -r key real rest; do
		[ "$key" = Uid: ] && [ "$real" = 1000 ] && exit 1
	done < "$d/status" 2>/dev/null
done
exit 0
