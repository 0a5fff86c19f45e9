# pid_namespaces(7): init "ignores" signals without a handler sent from
# inside its namespace (SIGHUP, SIGTERM, even SIGKILL); a trap installs a
# handler, and then the signal arrives.
unshare -Urpf --mount-proc sh -c 'kill -HUP 1; kill -TERM 1; kill -USR1 1; echo alive; trap "echo got TERM; exit 3" TERM; kill -TERM 1; sleep 0.1; echo not here'
echo status=$?
