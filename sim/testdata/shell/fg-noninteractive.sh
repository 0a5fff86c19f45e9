# shells: dash bash
# source: POSIX.1-2017 XCU fg: "... shall ... if job control is disabled" report an error
sleep 1 &
fg; echo $?
