# "Only signals for which the "init" process has established a signal
# handler can be sent to the "init" process by other members of the PID
# namespace."
unshare -Urpf --mount-proc sh -c 'kill -TERM 1; echo still here; kill -KILL 1; echo and here'
