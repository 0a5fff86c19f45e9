# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 2: the
# namespaces API", https://lwn.net/Articles/531381/ — joining a namespace
# with setns(2): "./ns_exec /proc/PID/ns/uts /bin/bash" then hostname.
# Adapted: the child of demo_uts_namespaces is a background unshare -u
# shell that sets the name bizarro and sleeps; the C program ns_exec is
# replaced by nsenter --uts=/proc/PID/ns/uts, which makes the same
# setns(2) call; bash -c runs the article's hostname and then reads the
# uts links of the new shell and of the child (the same namespace).
unshare -u sh -c 'hostname bizarro; sleep 2' &
sleep 0.5
nsenter --uts=/proc/$!/ns/uts bash -c 'hostname; readlink /proc/$$/ns/uts'
readlink /proc/$!/ns/uts
hostname
kill $!
