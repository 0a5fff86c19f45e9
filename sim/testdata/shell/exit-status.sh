# shells: dash bash sh
# source: POSIX.1-2017 XCU exit: "exit [n]": the status is n, or that of the last command; the EXIT trap runs
(exit 3); echo $?
(false; exit); echo $?
(exit 256); echo $?
trap 'echo trap sees $?' EXIT
exit 4
