# pid_namespaces(7): "/proc/sys/kernel/ns_last_pid ... displays the last
# PID that was allocated in this PID namespace ... when the next PID is
# allocated, the kernel will search for the lowest unallocated PID that is
# greater than this value"; writing needs CAP_SYS_ADMIN (or
# CAP_CHECKPOINT_RESTORE) in the namespace's owner. uts_namespaces(7):
# kernel/hostname and domainname are the reader's UTS namespace's; only the
# initial root may write them through /proc/sys.
exec 2>&1
cd /proc/sys/kernel
unshare -pf --mount-proc sh -c 'cat /proc/sys/kernel/ns_last_pid; echo 100 > /proc/sys/kernel/ns_last_pid; echo st=$?; sh -c "echo \$\$"; cat /proc/sys/kernel/ns_last_pid; echo abc > /proc/sys/kernel/ns_last_pid; echo st=$?; echo 5000000 > /proc/sys/kernel/ns_last_pid; echo st=$?; echo -1 > /proc/sys/kernel/ns_last_pid; echo st=$?'
unshare -pf sh -c 'cat /proc/sys/kernel/ns_last_pid'
unshare -U sh -c 'ls -l /proc/sys/kernel/ns_last_pid | cut -c1-27; echo 3 > /proc/sys/kernel/ns_last_pid; echo st=$?'
unshare -Urpf --mount-proc sh -c 'echo 41 > /proc/sys/kernel/ns_last_pid; sh -c "echo \$\$"; bash -c "echo 5 > /proc/sys/kernel/ns_last_pid; echo st=\$?"'
ls -l hostname domainname | cut -c1-27; cat hostname domainname
unshare -u sh -c 'hostname inner; cat /proc/sys/kernel/hostname; echo x > /proc/sys/kernel/hostname; echo st=$?'
cat hostname
unshare -Uru sh -c 'echo x > /proc/sys/kernel/domainname; echo st=$?'
unshare -pf --mount-proc sh -c 'cat /proc/sys/kernel/pid_max; echo 2000 > /proc/sys/kernel/pid_max; echo st=$?; cat /proc/sys/kernel/pid_max; echo 100 > /proc/sys/kernel/pid_max; echo st=$?'
cat pid_max ostype cap_last_cap
