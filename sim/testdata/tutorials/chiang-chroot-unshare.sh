# Source: "Containers from scratch", Eric Chiang (2017-01-07),
# https://ericchiang.github.io/post/containers-from-scratch/, sections
# "chroot" and "Creating namespaces with unshare".
# Adapted: the post downloads a Debian root filesystem (rootfs.tar.gz);
# the lab has no network, so rootfs/ is made on the spot from the lab's
# own bash, ls, ps, mount, grep and their libraries (as ldd lists them).
# The interactive shells read their commands from here-documents. Python
# and top are left out; the machine-dependent columns of `ps aux` (CPU,
# memory, start time) are cut.
mkdir -p rootfs/proc rootfs/bin
for b in /bin/bash /bin/ls /bin/ps /bin/mount /bin/grep; do
  cp $b rootfs/bin/
  for l in $(ldd $b | grep -o '/[^ ]*'); do mkdir -p rootfs$(dirname $l); cp $l rootfs$l; done
done
sudo chroot rootfs /bin/bash <<'EOF'
ls /
EOF
sudo unshare -p -f --mount-proc=$PWD/rootfs/proc \
    chroot rootfs /bin/bash <<'EOF' | awk '{printf "%s %s %s %s", $1, $2, $7, $8; for (i = 11; i <= NF; i++) printf " %s", $i; print ""}'
ps aux
EOF
