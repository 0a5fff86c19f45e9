# Source: time_namespaces(7) (man-pages 6.03), "/proc/PID/timens_offsets":
# writes fail with EINVAL for an offset-nanosecs above 999,999,999 or an
# unknown clock-id, and with ERANGE when the clock would go negative;
# clock IDs may be written as numbers (1 for monotonic, 7 for boottime).
# Adapted: the page lists the errors without a session; each is tried in
# a time namespace that has no member yet (unshare -T without a fork
# leaves the shell outside it), then the offsets are shown.
unshare -T -- bash --norc -c '
echo "monotonic 1 1000000000" > /proc/$$/timens_offsets
echo "realtime 1 0" > /proc/$$/timens_offsets
echo "boottime -1000000000 0" > /proc/$$/timens_offsets
echo "7 3600 0" > /proc/$$/timens_offsets
echo "1 60 5" > /proc/$$/timens_offsets
cat /proc/$$/timens_offsets
'
