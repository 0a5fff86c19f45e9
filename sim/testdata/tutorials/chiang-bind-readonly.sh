# Source: "Containers from scratch", Eric Chiang (2017-01-07),
# https://ericchiang.github.io/post/containers-from-scratch/, section
# "Getting around chroot with mounts".
# Adapted: the post's downloaded Debian root filesystem is replaced by one
# made on the spot from the lab's own bash and cat and their libraries (as
# ldd lists them); the chrooted shell reads its commands from a
# here-document.
mkdir -p rootfs/bin
for b in /bin/bash /bin/cat; do
  cp $b rootfs/bin/
  for l in $(ldd $b | grep -o '/[^ ]*'); do mkdir -p rootfs$(dirname $l); cp $l rootfs$l; done
done
sudo mkdir readonlyfiles
echo "hello" > readonlyfiles/hi.txt
sudo mkdir -p rootfs/var/readonlyfiles
sudo mount --bind -o ro $PWD/readonlyfiles $PWD/rootfs/var/readonlyfiles
sudo chroot rootfs /bin/bash <<'EOF'
cat /var/readonlyfiles/hi.txt
echo "bye" > /var/readonlyfiles/hi.txt
EOF
sudo umount $PWD/rootfs/var/readonlyfiles
