# Source: findmnt(8) (util-linux 2.38), EXAMPLES: "findmnt --poll=remount
# -t ext3 -O ro" — "Monitors remounts to read-only mode on all ext3
# filesystems."
# Adapted: the lab has no ext3 filesystem, so the type is tmpfs; findmnt
# watches in the background while a tmpfs bind mount is remounted
# read-only, read-write, and read-only again (bind remounts: the lab's
# root may not remount the tmpfs itself); then it is killed. The OPTIONS
# column is shown without the tmpfs's uid= and gid=, the lab's host ID
# range (machine noise), by listing TARGET and FSTYPE only.
mkdir -p /mnt/foo
mount -t tmpfs tmpfs /mnt/foo
findmnt --poll=remount -t tmpfs -O ro -o ACTION,TARGET,FSTYPE &
sleep 0.5
mount -o remount,bind,ro /mnt/foo
sleep 0.5
mount -o remount,bind,rw /mnt/foo
sleep 0.5
mount -o remount,bind,ro /mnt/foo
sleep 0.5
kill $!
