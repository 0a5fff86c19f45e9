# mount_namespaces(7): "mount and unmount events propagate ... between
# peers". A namespace made with --propagation unchanged keeps the lab's
# shared mounts, so a later mount under /tmp in the lab host reaches it;
# a private copy (unshare's default) does not receive it.
mkdir -p /tmp/peer
unshare -m --propagation unchanged sh -c 'sleep 1; echo unchanged:; findmnt -n -o TARGET,SOURCE /tmp/peer' &
unshare -m sh -c 'sleep 1.5; echo private:; findmnt -n -o TARGET,SOURCE /tmp/peer; echo status=$?' &
sleep 0.5
mount -t tmpfs shared-demo /tmp/peer
wait
umount /tmp/peer
