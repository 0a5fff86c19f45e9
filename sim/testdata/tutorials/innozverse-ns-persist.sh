# Source: "Lab 16: Linux Namespaces", innozverse docs,
# https://docs.innozverse.com/os-linux/advanced/lab-16-linux-namespaces,
# steps 2 to 4: the namespace links of /proc/PID/ns, keeping a network
# namespace alive with a bind mount, a hostname of one's own in a UTS
# namespace, a PID namespace with --fork and --mount-proc.
# Adapted: the lab's steps are run in one session; `ls -l` is cut to the
# link names and targets (the rest is the clock); the bind mount's target
# file is made first (the lab's tip assumes /run/netns exists).
ls -l /proc/$$/ns | sed 's/.* \([a-z_]* -> \)/\1/'
mkdir -p /run/netns && touch /run/netns/saved
mount --bind /proc/1/ns/net /run/netns/saved
ip netns list
readlink /proc/1/ns/net
unshare --uts sh -c 'hostname container1; hostname'
hostname
unshare --pid --fork --mount-proc ps -o pid,comm
