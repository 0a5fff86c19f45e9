# tail(1): "-f, --follow: output appended data as the file grows"; it runs
# until it is killed, so it is used under timeout(1) or in the background.
# (Waits are long enough for a loaded machine to have started the commands.)
cd /tmp && printf '1\n2\n3\n' > f
timeout 0.5 tail -f f; echo rc=$?
(sleep 0.5; echo 4 >> f; sleep 0.5; : > f; sleep 0.5; echo 5 >> f) & timeout 2 tail -n 1 -f f; echo rc=$?
timeout 0.3 tail -f f nosuch; echo rc=$?; tail -f nosuch; echo rc=$?; tail -n x f; echo rc=$?
tail -f f > out & sleep 0.5; echo 6 >> f; sleep 0.5; kill $!; cat out
sleep 0.5 & tail -f --pid=$! f; echo rc=$?
echo a | tail -f; echo rc=$?
tail -c 3 f; tail -c +2 f; tail -q f f; tail f f; tail -n +2 f; tail -2 f; tail -n 0 f; tail -v f
timeout; echo rc=$?; timeout 1; echo rc=$?; timeout x true; echo rc=$?; timeout 1 nosuch; echo rc=$?
timeout -s KILL 0.2 sleep 1; echo rc=$?; timeout 1 sh -c 'exit 3'; echo rc=$?
timeout --preserve-status 0.1 sleep 1; echo rc=$?; timeout -k 0.5 0.5 sh -c 'trap "" TERM; sleep 1'; echo rc=$?
timeout 0 true; echo rc=$?; timeout -v 0.1 sleep 1; echo rc=$?; timeout -z 1 true; echo rc=$?
