# Source: findmnt(8) (util-linux 2.38), EXAMPLES: "findmnt --poll=remount
# -t ext3 -O ro" — "Monitors remounts to read-only mode on all ext3
# filesystems."
# Adapted: the lab has no ext3 filesystem to remount, so the type is
# tmpfs: findmnt watches in the background while a tmpfs is remounted
# read-only, then read-write, then read-only again; then it is killed.
mkdir -p /mnt/foo
mount -t tmpfs tmpfs /mnt/foo
findmnt --poll=remount -t tmpfs -O ro &
sleep 0.5
mount -o remount,ro /mnt/foo
sleep 0.5
mount -o remount,rw /mnt/foo
sleep 0.5
kill $!
