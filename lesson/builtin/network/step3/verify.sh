#!/bin/bash
# Passes when another network namespace has an interface veth0.
host=$(readlink /proc/1/ns/net)
for d in /proc/[0-9]*; do
	ns=$(readlink "$d/ns/net" 2>/dev/null) || continue
	[ -n "$ns" ] && [ "$ns" != "$host" ] || continue
	nsenter -t "${d#/proc/}" -n ip link show veth0 >/dev/null 2>&1 && exit 0
done
exit 1
