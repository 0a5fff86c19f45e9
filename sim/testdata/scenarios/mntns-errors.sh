# mount(2) and umount(2) failures, in util-linux's words.
unshare -m sh -c 'mount -t tmpfs x /nonexist; echo status=$?; umount /root/nothing; echo status=$?; umount /root; echo status=$?; mount -t bogus x /mnt; echo status=$?'
