# Source: LWN, Michael Kerrisk, "Namespaces in operation, part 4: more on
# PID namespaces", https://lwn.net/Articles/532748/ — unshare(2) with
# CLONE_NEWPID does not move the caller: its first child becomes PID 1 of
# the new namespace, and after that child exits further forks fail with
# ENOMEM ("bash: fork: Cannot allocate memory").
# Adapted: the article's "./unshare -p /bin/bash" session is unshare -p
# (no --fork) running bash -c with the article's commands; the shell's
# PID is marked with @.
unshare -p bash -c 'echo @$$; readlink /proc/self; sh -c "echo \$\$"; echo after'
echo status=$?
