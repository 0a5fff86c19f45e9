# nsenter(1): "-a, --all: Enter all namespaces of the target process by
# the default /proc/[pid]/ns/* namespace paths", skipping the ones the
# caller already shares.
unshare -Urpfiun --mount-proc sh -c 'hostname allbox; ipcmk -Q >/dev/null; sleep 10' &
sleep 0.2
pid=$(ps -e -o pid=,comm= | grep sleep | cut -c1-7)
nsenter -t $pid -a sh -c 'hostname; id -u; ipcs -q | tail -n +4 | wc -l; ip -br link | cut -c1-20; echo $$'
kill $pid
