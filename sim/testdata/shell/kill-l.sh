# shells: dash bash
# source: POSIX.1-2017 XCU kill, EXAMPLES ("kill -l", "kill -s TERM")
kill -l 15; kill -l 143
sleep 10 & kill -s TERM $!; wait $!; echo $?
kill -9 99999; echo $?
