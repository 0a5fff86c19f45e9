# From the lab host into a container: nsenter joins its user, PID, mount
# and UTS namespaces and becomes root there.
unshare -Urpfu --mount-proc sh -c 'hostname box; sleep 10' &
sleep 0.2
pid=$(ps -e -o pid=,comm= | grep sleep | cut -c1-7)
nsenter -t $pid -U -p -m -u sh -c 'hostname; id; echo $$; ps -e -o pid,comm'
nsenter -t $pid -u --preserve-credentials hostname
kill %1 2>/dev/null; kill $pid
