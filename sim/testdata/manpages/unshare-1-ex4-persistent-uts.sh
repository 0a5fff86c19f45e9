# Source: unshare(1) (util-linux 2.38), EXAMPLES, fourth example: a
# persistent UTS namespace, bound to a file, outlives its last process.
# Adapted: the "# " prompts dropped; nothing else.
touch /root/uts-ns
unshare --uts=/root/uts-ns hostname FOO
nsenter --uts=/root/uts-ns hostname
umount /root/uts-ns
