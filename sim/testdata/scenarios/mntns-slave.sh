# "A slave mount receives propagation events from its master, but does
# not propagate events to it."
mkdir -p /tmp/from-host /tmp/from-slave
unshare -m --propagation slave sh -c 'mount -t tmpfs slave-made /tmp/from-slave; sleep 1; findmnt -n -o TARGET,SOURCE /tmp/from-host; findmnt -n -o TARGET,PROPAGATION /proc' &
sleep 0.5
mount -t tmpfs host-made /tmp/from-host
findmnt -n /tmp/from-slave; echo status=$?
wait
