# shells: dash bash
# source: POSIX.1-2017 XCU hash; dash(1) and bash(1) list remembered commands
hash; echo $?
cat /dev/null; hash
hash -r; hash; echo $?
