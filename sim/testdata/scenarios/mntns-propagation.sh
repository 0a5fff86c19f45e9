# mount_namespaces(7): unshare(1) makes every mount private by default;
# --propagation unchanged keeps the lab's shared mounts shared.
findmnt -n -o TARGET,PROPAGATION /proc
unshare -m findmnt -n -o TARGET,PROPAGATION /proc
unshare -m --propagation unchanged findmnt -n -o TARGET,PROPAGATION /proc
unshare -Um --propagation unchanged findmnt -n -o TARGET,PROPAGATION /proc
