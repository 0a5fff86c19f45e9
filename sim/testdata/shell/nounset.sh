# shells: dash bash
# source: POSIX.1-2017 XCU set -u: "the shell shall write a message to standard error ... and ... exit"
set -u; echo $nope; echo not reached
