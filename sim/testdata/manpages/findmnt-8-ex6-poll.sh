# Source: findmnt(8) (util-linux 2.38), EXAMPLES: "findmnt --poll
# --mountpoint /mnt/foo" — "Monitors mount, unmount, remount and move on
# /mnt/foo."
# Adapted: findmnt runs in the background while the scenario mounts,
# remounts and unmounts a tmpfs on /mnt/foo, half a second apart, then
# kills it.
mkdir -p /mnt/foo
findmnt --poll --mountpoint /mnt/foo &
sleep 0.5
mount -t tmpfs tmpfs /mnt/foo
sleep 0.5
mount -o remount,ro /mnt/foo
sleep 0.5
umount /mnt/foo
sleep 0.5
kill $!
