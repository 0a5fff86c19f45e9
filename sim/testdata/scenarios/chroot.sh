# chroot(2): "changes the root directory of the calling process"; ".."
# at the new root stays there; only CAP_SYS_CHROOT in the caller's user
# namespace may do it. chroot(1) then changes to the new root; unshare
# --root (and --wd) and nsenter -r follow the same root; mountinfo and
# findmnt show only the mounts below it.
chroot /nonexist true; echo status=$?
chroot /etc/passwd true; echo status=$?
chroot; echo status=$?
chroot -x; echo status=$?
su student -c "chroot / true"; echo status=$?
mkdir -p /r; chroot /r cat; echo status=$?
unshare -R /nonexist true; echo status=$?
mkdir -p /r; mount --bind / /mnt; mount --bind /usr /mnt/usr; mount --bind /proc /mnt/proc; chroot /mnt sh -c "pwd; cd /tmp; pwd; cd ..; cd ..; pwd; ls -d /mnt /r; readlink /proc/self/cwd; cat /proc/self/mountinfo | cut -d\" \" -f5 | sort"; chroot /mnt ls /; unshare --root=/mnt --wd=/tmp sh -c "pwd; ls -d /r"; cd /tmp; unshare --root=/mnt pwd; unshare -m --root=/mnt --mount-proc=/proc sh -c "findmnt -n -o TARGET /proc | head -1"; chroot /mnt sleep 2 & sleep 0.5; nsenter -t $! -r -w pwd; nsenter -t $! -r ls -d /r; echo st=$?
