# shells: dash bash
# source: POSIX.1-2017 XCU eval and exec, EXAMPLES
foo=10 x=foo
y='$'$x
echo $y
eval y='$'$x
echo $y
exec 3>out; echo to3 >&3; exec 3>&-; cat out
exec echo replaced; echo not reached
