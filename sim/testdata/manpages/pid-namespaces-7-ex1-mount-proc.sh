# Source: pid_namespaces(7) (man-pages 6.03), "/proc and PID namespaces":
# "From a shell, the command to mount /proc is: mount -t proc proc /proc",
# after creating a new PID namespace together with a mount namespace; then
# "Calling readlink(2) on the path /proc/self yields the process ID of the
# caller in the PID namespace of the procfs mount".
# Adapted: the new PID and mount namespaces are made with unshare -pfm, in
# whose shell the page's command runs, followed by readlink /proc/self and
# ps to show the procfs of the new namespace.
unshare --pid --fork --mount sh -c 'mount -t proc proc /proc; readlink /proc/self; ps -o pid,ppid,comm'
