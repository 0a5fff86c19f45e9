# shells: dash bash
# source: POSIX.1-2017 XCU wait, EXAMPLES
(exit 3) & p=$!
wait $p; echo $?
sh -c 'exit 7' & wait $!; echo $?
wait 99999; echo $?
