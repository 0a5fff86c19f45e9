# nsenter(1) -C and -T join a target's cgroup and time namespaces: the
# target's cgroup root and clock offsets apply.
unshare -CT --boottime 1000000 sleep 10 &
sleep 0.2
pid=$(ps -o pid= -C sleep | tr -d " ")
nsenter -t $pid -C -T sh -c 'cut -d: -f3 /proc/self/cgroup | sort -u; cat /proc/self/timens_offsets'
a=$(cut -d. -f1 /proc/uptime)
b=$(nsenter -t $pid -T cut -d. -f1 /proc/uptime)
echo $((b - a))
kill $pid
