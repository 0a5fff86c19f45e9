# /proc/sys/kernel/hostname and domainname are the UTS namespace's names;
# writing them needs CAP_SYS_ADMIN in its owner.
cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname
unshare -u sh -c 'echo viaproc > /proc/sys/kernel/hostname; hostname; cat /proc/sys/kernel/hostname'
unshare -r sh -c 'echo nope > /proc/sys/kernel/hostname; echo status=$?'
hostname
