# Source: "Containers from scratch", Eric Chiang (2017-01-07),
# https://ericchiang.github.io/post/containers-from-scratch/, section
# "Entering namespaces with nsenter": a second shell joins the first one's
# PID namespace and sees it as PID 1.
# Adapted: the post's downloaded Debian root filesystem is replaced by one
# made on the spot from the lab's own bash, ps, sleep and their libraries
# (as ldd lists them). The first terminal's shell runs in the background
# (sleeping, so that it is there while the second looks); its PID is taken
# from `ps aux | grep` as in the post (the line whose command is just
# /bin/bash, picked with awk), then `ls -l /proc/PID/ns` is cut to
# the link names and targets (the rest is the clock). The machine-dependent
# columns of `ps aux` are cut.
mkdir -p rootfs/proc rootfs/bin
for b in /bin/bash /bin/ps /bin/sleep; do
  cp $b rootfs/bin/
  for l in $(ldd $b | grep -o '/[^ ]*'); do mkdir -p rootfs$(dirname $l); cp $l rootfs$l; done
done
sudo unshare -p -f --mount-proc=$PWD/rootfs/proc chroot rootfs /bin/bash <<'EOF' &
sleep 3
EOF
sleep 1
PID=$(ps aux | grep /bin/bash | grep root | awk '$11 == "/bin/bash" {print $2}')
sudo ls -l /proc/$PID/ns | sed 's/.* \([a-z_]* -> \)/\1/'
sudo nsenter --pid=/proc/$PID/ns/pid \
    unshare -f --mount-proc=$PWD/rootfs/proc \
    chroot rootfs /bin/bash <<'EOF' | awk '{printf "%s %s %s %s", $1, $2, $7, $8; for (i = 11; i <= NF; i++) printf " %s", $i; print ""}'
ps aux
EOF
wait
