# time_namespaces(7): CLOCK_BOOTTIME offsets show in /proc/uptime of the
# namespace's members; negative monotonic offsets are allowed.
a=$(cut -d. -f1 /proc/uptime)
b=$(unshare -T --boottime 1000000 cut -d. -f1 /proc/uptime)
echo $((b - a))
unshare -T --monotonic -5 cat /proc/self/timens_offsets
