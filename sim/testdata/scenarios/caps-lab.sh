# The lab host's capabilities: the live engine drops what no lesson needs
# from the bounding set (CAP_SYS_TIME among them), so setting a new time
# namespace's offsets needs a user namespace of one's own, where the new
# creator has every capability.
grep Cap /proc/self/status
unshare -T --monotonic 5 true; echo status=$?
unshare -rT --monotonic 5 cat /proc/self/timens_offsets
