# shells: dash bash
# source: POSIX.1-2017 XCU 2.12 Shell Execution Environment: changes in a subshell do not affect the shell
x=1; (x=2; echo in $x); echo out $x
echo a | { read v; echo got $v; }; echo "after ${v-unset}"
y=$(x=3; echo $x); echo $y $x
