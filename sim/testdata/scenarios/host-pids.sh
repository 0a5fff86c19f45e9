# Lab host PIDs, marked with @ (they depend on the live engine's helper
# processes): $$ and $PPID of a child shell, $! of a background job, and
# a child's parent in ps.
echo shell @$$
sh -c 'echo child @$$ parent @$PPID'
sleep 1 & echo job @$!
ps -o ppid= -p $! | sed 's/^ */@/'
ps -o pid=,comm= | grep sleep | sed 's/^ */@/'
