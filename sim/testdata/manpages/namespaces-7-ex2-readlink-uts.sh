# Source: namespaces(7) (man-pages 6.03), "The /proc/[pid]/ns/ directory":
# "The content of this symbolic link is a string containing the namespace
# type and inode number as in the following example".
# Adapted: the "$ " prompt dropped; nothing else.
readlink /proc/$$/ns/uts
