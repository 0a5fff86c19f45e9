# Source: user_namespaces(7) (man-pages 6.03), "User and group ID
# mappings: uid_map and gid_map": "Looking at the uid_map file (gid_map is
# the same) from a shell in the initial namespace shows: 0 0 4294967295".
# Adapted: the lab's shell is not in the initial user namespace but in the
# lab's own; the second column there is the lab's host ID range (machine
# noise), so it is cut out with awk.
cat /proc/$$/uid_map | awk '{print $1, $3}'
