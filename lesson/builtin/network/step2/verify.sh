#!/bin/bash
# Passes when loopback is up in another network namespace.
host=$(readlink /proc/1/ns/net)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/net" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	nsenter -t "${d#/proc/}" -n ip link show lo 2>/dev/null | grep -q "LOOPBACK,UP" && exit 0
done
exit 1
