# kill(2) and pid_namespaces(7): a process sees and signals only the
# processes of its own PID namespace and those below it.
sleep 100 &
unshare -Urpf --mount-proc sh -c 'kill 2; echo status=$?; kill -0 1; echo status=$?'
kill -0 $!; echo status=$?
kill $!; wait $!; echo status=$?
kill -9 999999; echo status=$?
kill -l | head -3
