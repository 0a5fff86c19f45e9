# shells: dash bash
# source: POSIX.1-2017 XCU dot, EXAMPLES
echo 'echo sourced $1; V=set' > lib.sh
. ./lib.sh; echo $V
. ./missing.sh
echo not reached in dash
