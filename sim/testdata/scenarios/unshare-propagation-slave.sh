# unshare(1) --propagation slave: mounts in the new namespace receive
# events from the lab host but send none back.
mkdir -p /tmp/ps1
unshare -m --propagation slave sh -c 'findmnt -n -o TARGET,PROPAGATION /proc; sleep 0.5; findmnt -n -o TARGET,SOURCE /tmp/ps1' &
sleep 0.2
mount -t tmpfs from-host /tmp/ps1
wait
umount /tmp/ps1
