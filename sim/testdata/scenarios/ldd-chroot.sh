# ld.so(8): "the program interpreter ... finds and loads the shared
# objects (shared libraries) needed by a program"; ldd(1) prints them,
# "one per line", each "=> PATH (ADDRESS)"; execve(2): ENOENT "an ELF
# interpreter could not be found". A program copied into a new root runs
# there once its interpreter and libraries are copied too.
# The load addresses change from run to run: sed masks them.
mask() { sed 's/ (0x[0-9a-f]*)$//'; }
ldd /bin/ls | mask
ldd /usr/bin/cat /usr/sbin/chroot 2>&1 | mask
ldd /lib/x86_64-linux-gnu/libc.so.6 /lib64/ld-linux-x86-64.so.2 | mask
ldd /usr/bin/ldd; echo "status $?"
ldd /nonexistent nofile /tmp; echo "status $?"
ldd; echo "status $?"
ldd -z /bin/ls; echo "status $?"
ldd -r -- /bin/true | mask
stat -c '%A %s %n' /bin/ls /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libtinfo.so.6 /lib/x86_64-linux-gnu/libtinfo.so.6.4
mkdir -p root/bin
cp /bin/ls /bin/cat root/bin/
chroot root /bin/ls; echo "status $?"
mkdir root/lib64
cp /lib64/ld-linux-x86-64.so.2 root/lib64/
chroot root /bin/ls; echo "status $?"
mkdir -p root/lib/x86_64-linux-gnu
cp /lib/x86_64-linux-gnu/libc.so.6 root/lib/x86_64-linux-gnu/
chroot root /bin/cat /lib64/ld-linux-x86-64.so.2 | wc -c
chroot root /bin/ls; echo "status $?"
cd root && ldd bin/ls | mask
for l in $(ldd bin/ls | grep -o '/lib[^ ]*'); do cp $l .$l; done
cd .. && chroot root /bin/ls /bin /lib/x86_64-linux-gnu; echo "status $?"
