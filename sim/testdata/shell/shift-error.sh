# shells: dash bash
# source: POSIX.1-2017 XCU shift: "If the n operand is greater than $#, ... the exit status shall be greater than zero"
set -- a; shift 2; echo "status $?"
