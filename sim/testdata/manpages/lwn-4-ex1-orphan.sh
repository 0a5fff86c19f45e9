# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 4: more on
# PID namespaces", https://lwn.net/Articles/532748/ — orphan.c: a child
# orphaned inside a PID namespace is adopted by the namespace's init.
# Adapted: the C program is replaced by a shell that is PID 1 of a new
# PID namespace (unshare --pid --fork --mount-proc) and starts a
# subshell whose child outlives it; the child prints its parent PID
# before and after.
unshare --pid --fork --mount-proc sh -c '
( sh -c "echo \"Child  (PID=\$\$) parent PID=\$PPID\"; sleep 1; echo \"Child  (PID=\$\$) parent PID=\$(grep PPid /proc/\$\$/status | cut -f2)\"" & sleep 0.2; echo "Parent (PID=$(sh -c "echo \$PPID")) terminating" )
sleep 2'
