# shells: dash bash
# source: POSIX.1-2017 XCU exit (a non-numeric status); dash(1) and bash(1) report it in their words
exit abc
echo not reached
