# Source: findmnt(8) (util-linux 2.38), EXAMPLES: "findmnt --poll=umount
# --first-only --mountpoint /mnt/foo" — "Waits for /mnt/foo unmount."
# Adapted: a tmpfs is mounted on /mnt/foo first; findmnt waits in the
# background while the scenario unmounts it, and its status is printed.
# The OPTIONS column is left out (-o): a tmpfs's uid= and gid= are the
# lab's host ID range, which differs between labs (machine noise).
mkdir -p /mnt/foo
mount -t tmpfs tmpfs /mnt/foo
findmnt --poll=umount --first-only --mountpoint /mnt/foo -o ACTION,TARGET,SOURCE,FSTYPE &
sleep 0.5
umount /mnt/foo
wait $!
echo status=$?
