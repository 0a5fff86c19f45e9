# shells: dash bash sh
# source: POSIX.1-2017 XCU 2.8.2 Exit Status for Commands: 127 when not found
nosuchcmd; echo $?
./nosuch; echo $?
