#!/bin/bash
# Passes when that namespace's NIS domain name is lessons.example.
host=$(readlink /proc/1/ns/uts)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/uts" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	[ "$(nsenter -t "${d#/proc/}" -u domainname 2>/dev/null)" = lessons.example ] && exit 0
done
exit 1
