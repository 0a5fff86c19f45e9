# dash running a -c string catches SIGINT (it has a handler), so the
# kernel delivers SIGINT even to a namespace's init; dash then exits with
# 128+2.
unshare -Urpf --mount-proc sh -c 'kill -INT 1; echo not here'
echo status=$?
