# shells: dash bash
# source: POSIX.1-2017 XCU trap, EXAMPLES ("trap - INT QUIT TERM EXIT"; EXIT action)
trap 'echo bye' EXIT
trap 'echo usr1' USR1
trap
kill -USR1 $$
trap - USR1
trap
echo end
