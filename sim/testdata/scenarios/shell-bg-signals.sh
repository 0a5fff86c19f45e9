# POSIX: a non-interactive shell's background job ignores SIGINT and
# SIGQUIT, and a shell it runs cannot trap what was ignored on entry;
# other signals can be trapped. (The trap runs once the foreground
# sleep is over.)
sh -c 'trap "echo t" INT; sleep 1; echo after' & sleep 0.5; kill -INT $!; wait; echo done
sh -c 'trap "echo t" TERM; sleep 1; echo after' & sleep 0.5; kill -TERM $!; wait; echo done
