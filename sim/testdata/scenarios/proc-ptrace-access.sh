# Another process's /proc/PID/ns links, environ and cwd are guarded by the
# ptrace access check: from a child user namespace, the lab host's
# processes are out of reach (no CAP_SYS_PTRACE in their namespace), even
# with the same kernel uid.
unshare -r readlink /proc/1/ns/net; echo status=$?
unshare -r readlink /proc/$$/ns/net; echo status=$?
unshare -r sh -c 'readlink /proc/$$/ns/net >/dev/null && echo own'
unshare -r lsns -n -o TYPE,NPROCS >/tmp/l; sort /tmp/l
unshare -r nsenter -t 1 -u true; echo status=$?
unshare -r cat /proc/1/environ; echo status=$?
readlink /proc/1/cwd
