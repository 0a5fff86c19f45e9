# ping(8) (iputils): echo requests to the addresses of the caller's network
# namespace; "connect: Network is unreachable" with no route (lo down in a
# new namespace). Round-trip times vary: they are cut.
cut_times() { sed -E 's/time=[0-9.]+ ms/time=T ms/; s/time [0-9]+ms/time Tms/; s|= [0-9./]+ ms|= T ms|'; }
ping -c 1 127.0.0.1 | cut_times; echo rc=$?
ping -c 2 -i 0.2 localhost | cut_times
ping -c 1 -q 127.0.0.1 | cut_times; ping -c 1 -s 100 lab | cut_times; ping -c1 ::1 | cut_times
unshare -n ping -c 1 127.0.0.1; echo rc=$?; unshare -n ping -c1 localhost; echo rc=$?
unshare -n sh -c 'ip link set lo up; ping -c1 -W1 127.0.0.1' | cut_times
ping -c 1 10.1.2.3; echo rc=$?; ping; echo rc=$?; ping -c 1 nosuchhost; echo rc=$?
ping -c 0 127.0.0.1; echo rc=$?; ping -c x 127.0.0.1; echo rc=$?; ping -z 2>&1 | head -3
ip link add v0 type veth peer name v1; ip addr add 10.0.0.1/24 dev v0; ip link set v0 up
ping -c 1 10.0.0.2 | cut_times; ping -c 1 -W 1 10.0.0.2 | cut_times
ip link set v1 up; ip addr add 10.0.0.2/24 dev v1; ping -c 1 10.0.0.2 | cut_times; ping -c1 10.0.0.1 | cut_times
