# Source: pid_namespaces(7) (man-pages 6.03), "/proc and PID namespaces":
# "A /proc filesystem shows (in the /proc/pid directories) only processes
# visible in the PID namespace of the process that performed the mount,
# even if the /proc filesystem is viewed from processes in other
# namespaces."
# Adapted: a shell in a new PID namespace mounts a procfs on /tmp/proc2 of
# the lab's mount namespace (no mount namespace of its own) and stays
# alive; the lab's shell then lists the PIDs under /tmp/proc2 and reads
# its self link.
mkdir /tmp/proc2
unshare --pid --fork sh -c 'mount -t proc proc /tmp/proc2; sleep 2' &
sleep 0.5
ls -d /tmp/proc2/[1-9]*
readlink /tmp/proc2/self
echo status=$?
