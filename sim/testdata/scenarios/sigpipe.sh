# A writer to a pipe whose reader has gone gets SIGPIPE, which the shell
# does not report.
yes | head -n 3
yes abc | head -n 1; echo status=$?
sh -c 'yes | head -n 1; echo done'
