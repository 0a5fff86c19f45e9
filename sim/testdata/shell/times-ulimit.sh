# shells: dash bash
# source: POSIX.1-2017 XCU times and ulimit (statuses only: their figures belong to the machine)
times > /dev/null; echo $?
ulimit -f; echo $?
