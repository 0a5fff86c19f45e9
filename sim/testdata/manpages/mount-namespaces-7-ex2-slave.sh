# Source: mount_namespaces(7) (man-pages 6.03), "MS_SLAVE example".
# Adapted: /mntX and /mntY (and the page's /dev/sda* mounted under them)
# are tmpfs mounts; the second terminal (sh2) is an unshare -m
# --propagation unchanged shell in the background, the lab's shell the
# first terminal (sh1); each waits for the other's step (a file the other
# makes when it is done, looked for every tenth of a second). Mount
# IDs, device numbers and peer group numbers are the machine's (machine
# noise): each listing keeps fields 4 on and shows shared:N / master:N.
show() { sed 's/ - .*//' | cut -d' ' -f4- | sed 's/:[0-9][0-9]*/:N/g'; }
mkdir /mntX /mntY
mount -t tmpfs tmpfs /mntX
mount -t tmpfs tmpfs /mntY
mount --make-shared /mntX
mount --make-shared /mntY
cat /proc/self/mountinfo | grep '/mnt' | show
unshare -m --propagation unchanged sh -c '
show() { sed "s/ - .*//" | cut -d" " -f4- | sed "s/:[0-9][0-9]*/:N/g"; }
echo "--- sh2"
cat /proc/self/mountinfo | grep "/mnt" | show
mount --make-slave /mntY
cat /proc/self/mountinfo | grep "/mnt" | show
mkdir /mntX/a
mount -t tmpfs tmpfs /mntX/a
mkdir /mntY/b
mount -t tmpfs tmpfs /mntY/b
cat /proc/self/mountinfo | grep "/mnt" | show
touch /tmp/sh2-done
until [ -e /tmp/sh1-done ]; do sleep 0.1; done
echo "--- sh2"
cat /proc/self/mountinfo | grep "/mnt" | show' &
until [ -e /tmp/sh2-done ]; do sleep 0.1; done
echo '--- sh1'
cat /proc/self/mountinfo | grep '/mnt' | show
mkdir /mntY/c
mount -t tmpfs tmpfs /mntY/c
cat /proc/self/mountinfo | grep '/mnt' | show
touch /tmp/sh1-done
wait
