# The lab's /usr is the machine's, read-only; /etc is the lab's own and
# writable; /tmp, /root and /home are the lab's own tmpfs.
touch /usr/x; echo status=$?
mkdir /etc/foo; echo status=$?
echo hi > /etc/motd-new; echo status=$?
touch /tmp/ok /root/ok && echo writable
stat -c '%U %G %a' /etc /tmp /root
ls -a /root
