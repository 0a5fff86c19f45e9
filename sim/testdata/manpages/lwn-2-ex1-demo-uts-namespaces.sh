# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 2: the
# namespaces API", https://lwn.net/Articles/531381/ — the session with
# demo_uts_namespaces.c (clone(2) with CLONE_NEWUTS, sethostname in the
# child).
# Adapted: "su" dropped (the lab's shell is root); the C program
# "./demo_uts_namespaces bizarro" is replaced by unshare -u running a
# shell that sets the host name and prints it in the child, while the
# parent prints its own; the child's PID is not printed (a lab host PID).
uname -n
unshare -u sh -c 'hostname bizarro; echo "uts.nodename in child:  $(uname -n)"'
echo "uts.nodename in parent: $(uname -n)"
