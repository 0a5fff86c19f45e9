# Source: unshare(1) (util-linux 2.38), EXAMPLES, first example: a PID
# namespace with --fork and --mount-proc.
# Adapted: the "# " prompt dropped; nothing else.
unshare --fork --pid --mount-proc readlink /proc/self
