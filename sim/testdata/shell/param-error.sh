# shells: dash bash
# source: POSIX.1-2017 XCU 2.6.2: "${parameter:?word} ... the shell ... shall exit"
unset posix; echo ${posix:?}
echo not reached
