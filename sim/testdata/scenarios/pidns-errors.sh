# unshare(2): a second CLONE_NEWPID before the first has its init fails
# with EINVAL (copy_pid_ns wants the caller's active namespace).
unshare -Ur unshare -p unshare -p true; echo status=$?
# A process killed by a signal: the shell reports 128+N.
sh -c 'kill -9 $$'; echo status=$?
unshare -Urpf sh -c 'kill -9 $$; echo not reached'; echo status=$?
