# Source: findmnt(8) (util-linux 2.38), EXAMPLES: "findmnt --poll
# --mountpoint /mnt/foo" — "Monitors mount, unmount, remount and move on
# /mnt/foo."
# Adapted: findmnt runs in the background while the scenario mounts,
# remounts (a bind remount read-only: the lab's root may not remount the
# tmpfs itself) and unmounts a tmpfs on /mnt/foo, half a second apart,
# then kills it. The OPTIONS column is left out (-o): a tmpfs's uid= and
# gid= are the lab's host ID range, which differs between labs (machine
# noise).
mkdir -p /mnt/foo
findmnt --poll --mountpoint /mnt/foo -o ACTION,TARGET,SOURCE,FSTYPE &
sleep 0.5
mount -t tmpfs tmpfs /mnt/foo
sleep 0.5
mount -o remount,bind,ro /mnt/foo
sleep 0.5
umount /mnt/foo
sleep 0.5
kill $!
