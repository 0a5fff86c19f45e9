# path_resolution(7): a path starts at the process's root directory, and
# a mount made later on "/" does not move that root ("mount --bind DIR /"
# hides nothing from the processes already on it); umount and mount
# resolve "/" down to the topmost mount on it (umount(2) unmounts it).
exec 2>&1
mkdir /tmp/over; touch /tmp/over/only-in-over
unshare -m sh -c '
mount --bind /tmp/over /; echo st=$?
ls / | head -3
findmnt -n -l -o TARGET,FSROOT | grep -c "^/ "
mount -o remount,bind,ro /; echo st=$?
findmnt -n -l -o TARGET,FSROOT,VFS-OPTIONS | grep "^/ "
umount /; echo st=$?
findmnt -n -l -o TARGET,FSROOT | grep -c "^/ "
'
