# Mounts in a user namespace's own mount namespace: root there may mount
# tmpfs and proc of its PID namespace, but not a block device.
unshare -Urmpf --mount-proc sh -c 'mount -t tmpfs t /mnt && findmnt -n -o TARGET,SOURCE /mnt; mount -t ext4 /dev/vda /mnt; echo status=$?; ps -e -o pid,comm'
