# The lab host's processes: init (PID 1, comm init) and the command's
# tree, PIDs marked with @ since the live engine's helpers take some.
# (ps waits until the other commands have exec'd.)
sleep 5 &
(sleep 0.5; ps -e -o pid=,ppid=,user=,stat=,comm=) | sed 's/^ *\([0-9]*\) *\([0-9]*\)/@\1 @\2/'
(sleep 0.5; ps -ef) | cut -c1-8,41- | sed 's/  *$//'
