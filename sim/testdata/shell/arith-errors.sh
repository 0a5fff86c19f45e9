# shells: dash bash
# source: POSIX.1-2017 XCU 2.6.4 Arithmetic Expansion: an invalid expression is an expansion error, which ends a non-interactive shell
x=5
echo before $((x / 0)) after
echo next line
