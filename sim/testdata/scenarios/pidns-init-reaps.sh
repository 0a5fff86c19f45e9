# pid_namespaces(7): "If a child process becomes orphaned ... it is
# reparented to the init process of its PID namespace"; a shell as init
# reaps them as it waits, a process that never waits (exec sleep) leaves
# them zombies, shown by procps 4 as the bare name in comm and ucmd and as
# "[NAME] <defunct>" in the argument columns. "If the init process of a PID
# namespace terminates ... a subsequent fork(2) into this PID namespace
# fail[s] with the error ENOMEM": dash says "Cannot fork" (status 2, line 0
# for an asynchronous list), bash "bash: fork: Cannot allocate memory"
# (status 254).
exec 2>&1
unshare -pf --mount-proc sh -c 'sh -c "sleep 0.2 &"; sleep 0.5; ps -o pid,ppid,stat,comm; wait; echo w=$?'
unshare -pf --mount-proc sh -c 'sleep 2 & sh -c "sleep 0.2 &"; sleep 0.5; ps -o pid,ppid,stat,comm; kill $!; wait; echo w=$?; ps -o pid,ppid,stat,comm'
unshare -pf --mount-proc sh -c 'sh -c "sleep 0.1 & sleep 0.1 &"; exec sleep 3' &
sleep 0.5
ps -e -o stat,ucmd,comm,args | grep "^Z"
ps -e | grep -c sleep
wait
unshare -p bash -c 'ls >/dev/null; ls; echo after'; echo st=$?
unshare -p bash -c 'ls >/dev/null; echo $(echo x); echo after'; echo st=$?
unshare -p bash -c 'ls >/dev/null; true | true; echo after'; echo st=$?
unshare -p bash -c 'ls >/dev/null; sleep 1 & echo after'; echo st=$?
unshare -p bash -c 'ls >/dev/null; (echo sub); echo after'; echo st=$?
unshare -p dash -c '/bin/true; /bin/true; echo after'; echo st=$?
unshare -p dash -c '/bin/true; echo $(echo x); echo after'; echo st=$?
unshare -p sh -c '/bin/true; true | true; echo after'; echo st=$?
unshare -p sh -c '/bin/true; sleep 1 & echo after'; echo st=$?
unshare -p sh -c 'true; echo a; sh -c "echo b"; echo st=$?; sh -c "echo c"'; echo st=$?
