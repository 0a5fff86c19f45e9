# lsns(8)'s default columns (NS TYPE NPROCS PID USER COMMAND) and -l, a
# list with no tree. (Read from a file: in a pipeline, whether sed has
# exec'd yet when lsns reads /proc is a race.)
unshare -Urpf --mount-proc sh -c 'lsns >/tmp/l; sed "s/[0-9]\{10\}/N/" /tmp/l | sort; lsns -l -t user >/tmp/l; wc -l </tmp/l'
