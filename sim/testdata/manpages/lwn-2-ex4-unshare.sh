# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 2: the
# namespaces API", https://lwn.net/Articles/531381/ — leaving namespaces
# with unshare(2): the shell's uts and ipc links, then "./unshare -ui
# /bin/bash" and the links of the new shell.
# Adapted: the C program unshare.c is replaced by unshare(1) with the same
# options; the new shell's commands are given with -c; PIDs of the lab
# host are marked with @.
echo @$$                   # Show PID of shell
readlink /proc/$$/ns/uts
readlink /proc/$$/ns/ipc
unshare -ui /bin/bash -c 'echo @$$; readlink /proc/$$/ns/uts; readlink /proc/$$/ns/ipc'
