# shells: dash bash
# source: POSIX.1-2017 XCU export -p and readonly -p: the output is suitable for re-input
export A=1 B='x y'
export -p | grep -E ' (A|B)='
readonly C=3; readonly -p | grep ' C='
