# mount_namespaces(7): a mount may hide another at the same point; findmnt
# lists both, in mountinfo's order, and matches a source name as well.
# --mount-proc stacks a new proc on the lab's own.
unshare -m sh -c 'mount -t tmpfs lower /mnt; touch /mnt/below; mount -t tmpfs upper /mnt; findmnt -n -o TARGET,SOURCE /mnt; ls /mnt; findmnt -o TARGET,SOURCE,FSTYPE lower; findmnt /tmp/none; echo status=$?; umount /mnt; ls /mnt'
unshare -Urpf --mount-proc findmnt -r -n -o TARGET,SOURCE /proc
