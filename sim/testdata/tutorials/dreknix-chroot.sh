# Source: "Containers 101 - chroot (Part I)", dreknix (2024-02-16),
# https://dreknix.github.io/wiki/blog/2024/02/16/containers-101---chroot-part-i.html:
# a root filesystem made by hand, one binary and its libraries at a time.
# Adapted: the parts with a C program (the lab has no compiler) and strace
# (addresses) are left out; ldd's load addresses and the date `ls -l`
# shows are masked with sed; the interactive shell chroot starts reads its
# commands from a here-document. `tree` is not in the lab.
mkdir target
sudo chroot target
mkdir target/bin
cp /bin/bash target/bin
ls -l target/bin/bash | sed 's/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]//'
sudo chroot target
ldd /bin/bash | sed 's/ (0x[0-9a-f]*)$//'
mkdir target/lib64
mkdir -p target/lib/x86_64-linux-gnu
cp /lib64/ld-linux-x86-64.so.2 target/lib64/
cp /lib/x86_64-linux-gnu/libc.so.6 target/lib/x86_64-linux-gnu/
cp /lib/x86_64-linux-gnu/libtinfo.so.6 target/lib/x86_64-linux-gnu/
sudo chroot target <<'EOF'
pwd
ls
echo *
exit
EOF
