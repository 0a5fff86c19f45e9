# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 2: the
# namespaces API", https://lwn.net/Articles/531381/ — "The /proc/PID/ns
# files": ls -l /proc/$$/ns, and the same link read for two processes in
# the same namespace.
# Adapted: the shell's PID is marked with @ (a lab host PID); the link
# dates of ls -l are cut out (awk) as the clock is machine noise.
echo @$$
ls -l /proc/$$/ns | awk '{print $1, $9, $10, $11}'
readlink /proc/$$/ns/uts
sh -c 'readlink /proc/$PPID/ns/uts /proc/$$/ns/uts'
