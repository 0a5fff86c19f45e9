# Unmount events propagate between peers like mount events.
mkdir -p /tmp/u1
mount -t tmpfs shared-one /tmp/u1
unshare -m --propagation unchanged sh -c 'findmnt -n -o TARGET,SOURCE /tmp/u1; sleep 1; findmnt -n -o TARGET,SOURCE /tmp/u1; echo status=$?' &
sleep 0.5
umount /tmp/u1
wait
