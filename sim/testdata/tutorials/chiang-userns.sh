# Source: "User namespaces", Eric Chiang (2019-02-20),
# https://ericchiang.github.io/post/user-namespaces/, sections
# "Namespaces for everyone" and the examples after it: an unprivileged
# user is root in a user namespace of its own, and only there.
# Adapted: the session runs as the lab's unprivileged account (su
# student); the shells unshare starts read their commands from
# here-documents; the post's debootstrap root filesystem is replaced by one
# made on the spot from the lab's own bash, ls and ps and their libraries
# (as ldd lists them). Left out: `nc -l -p 80` (the lab has no nc).
su student <<'OUTER'
cd
whoami
unshare --map-root-user <<'EOF'
whoami
EOF
unshare --map-root-user <<'EOF'
cat /proc/self/uid_map
cat /proc/self/gid_map
EOF
mkdir rootfs rootfs/proc
for b in /bin/bash /bin/ls /bin/ps; do
  mkdir -p rootfs/bin; cp $b rootfs/bin/
  for l in $(ldd $b | grep -o '/[^ ]*'); do mkdir -p rootfs$(dirname $l); cp $l rootfs$l; done
done
unshare --map-root-user chroot rootfs <<'EOF'
ls /
EOF
unshare --map-root-user --mount --pid --fork <<'EOF'
mount -t proc proc $PWD/rootfs/proc
chroot rootfs
ps
EOF
unshare --map-root-user capsh --print
unshare --map-root-user cat /etc/shadow
OUTER
