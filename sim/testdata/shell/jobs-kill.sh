# shells: dash bash
# source: the issue ("non-interactive jobs/kill %1"); POSIX.1-2017 XCU jobs and kill: job control job IDs
sleep 10 &
kill %1; echo "kill: $?"
wait; echo waited
kill %3; echo "again: $?"
