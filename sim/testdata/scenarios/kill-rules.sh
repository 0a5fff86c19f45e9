# kill(2) and pid_namespaces(7): a process sees and signals only the
# processes of its own PID namespace and those below it.
sleep 100 &
unshare -Urpf --mount-proc sh -c 'kill 2; echo status=$?; kill -0 1; echo status=$?'
kill -0 $!; echo status=$?
# (The shell reaps the job during sleep: whether dash says "Terminated"
# depends on whether the job died before wait began, a race.)
kill $!; sleep 0.5; wait $!; echo status=$?
kill -9 999999; echo status=$?
kill -l | head -3
