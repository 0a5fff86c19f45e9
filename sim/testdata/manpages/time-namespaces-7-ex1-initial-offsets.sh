# Source: time_namespaces(7) (man-pages 6.03), "/proc/PID/timens_offsets":
# "In the initial time namespace, the contents of the timens_offsets file
# are as follows".
# Adapted: the "$ " prompt dropped; the lab's shell is in a time namespace
# of its own whose offsets are zero.
cat /proc/self/timens_offsets
