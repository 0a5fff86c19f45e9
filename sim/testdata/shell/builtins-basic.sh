# shells: dash bash sh
# source: POSIX.1-2017 XCU 2.14 Special Built-In Utilities (colon, true, false, export, readonly, unset, shift, set --)
: ignored args; echo $?; true; echo $?; false; echo $?
set -- a b c; echo $# $1; shift; echo $# $*; shift 2; echo $#
export E=1; unset E; echo ${E-unset}
readonly R=5; echo $R
f(){ echo fn; }; unset -f f; type f >/dev/null 2>&1; echo $?
