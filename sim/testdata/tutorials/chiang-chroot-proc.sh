# Source: "Containers from scratch", Eric Chiang (2017-01-07),
# https://ericchiang.github.io/post/containers-from-scratch/, section
# "Creating namespaces with unshare", its first part: a chrooted root
# shell that mounts /proc sees, and kills, the host's processes.
# Adapted: the post's downloaded Debian root filesystem is replaced by one
# made on the spot from the lab's own bash, mount, ps, grep, pkill and
# their libraries (as ldd lists them); `top` in the other terminal is a
# background `top -b` that the chrooted shell finds and kills; the
# chrooted shell reads its commands from a here-document; the
# machine-dependent columns of `ps aux` are cut with awk.
mkdir -p rootfs/proc rootfs/bin
for b in /bin/bash /bin/mount /bin/ps /bin/grep /bin/pkill; do
  cp $b rootfs/bin/
  for l in $(ldd $b | grep -o '/[^ ]*'); do mkdir -p rootfs$(dirname $l); cp $l rootfs$l; done
done
top -b -d 30 >/dev/null &
sleep 0.5
sudo chroot rootfs /bin/bash <<'EOF' | awk '{printf "%s %s", $1, $8; for (i = 11; i <= NF; i++) printf " %s", $i; print ""}'
mount -t proc proc /proc
ps aux | grep top
pkill top
EOF
wait
echo top ended
