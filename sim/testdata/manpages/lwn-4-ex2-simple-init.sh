# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 4: more on
# PID namespaces", https://lwn.net/Articles/532748/ — ns_child_exec with
# simple_init: a shell in a new PID namespace starts jobs and ps shows
# them under init.
# Adapted: "./ns_child_exec -p ./simple_init" is replaced by "unshare
# --pid --fork --mount-proc sh" (the shell is the namespace's init); its
# "init$" commands are given with -c; half a second passes before ps.
unshare --pid --fork --mount-proc sh -c '
sleep 600 &
sleep 0.5
ps -o pid,ppid,comm
kill %1'
