# mknod(2): "EPERM The caller is not privileged (Linux: does not have the
# CAP_MKNOD capability) and the file is not a FIFO or socket"; the lab's
# root has its capabilities only in the lab's user namespace.
cd /tmp
mknod /x c 1 3; echo rc=$?
mknod null c 1 3; echo rc=$?; ls null; echo rc=$?
mknod -m 666 b b 7 0; echo rc=$?
mknod x c 1; echo rc=$?; mknod x c; echo rc=$?; mknod x p 1 2; echo rc=$?
mknod x q; echo rc=$?; mknod x q 1 2; echo rc=$?; mknod x character 1 3; echo rc=$?; mknod; echo rc=$?; mknod x; echo rc=$?; mknod -z x c 1 3; echo rc=$?
mknod x c a b; echo rc=$?
touch e; mknod e c 1 3; echo rc=$?
mknod /proc/x c 1 3; echo rc=$?
unshare -U mknod /tmp/y c 1 3; echo rc=$?
mknod -m 644 y c 1 3; echo rc=$?; mknod -m 4755 y c 1 3; echo rc=$?; mknod -m zz y c 1 3; echo rc=$?; mknod /nodir/x c 1 3; echo rc=$?
