# nsenter -m sees the mounts of another mount namespace.
mkdir -p /tmp/seen
unshare -m sh -c 'mount -t tmpfs private-one /tmp/seen; sleep 2' &
sleep 0.2
pid=$(ps -e -o pid=,comm= | grep sleep | cut -c1-7)
nsenter -t $pid -m findmnt -n -o TARGET,SOURCE /tmp/seen
findmnt -n /tmp/seen; echo status=$?
nsenter -t $pid -m sh -c 'pwd'
