# The lab host's capabilities: the live engine drops from the bounding set
# what no lesson needs; a new user namespace's creator gets every
# capability in it again ("starts out with a complete set of
# capabilities in the new user namespace").
grep Cap /proc/self/status
unshare -r grep CapBnd /proc/self/status
unshare -T --monotonic 5 cat /proc/self/timens_offsets
