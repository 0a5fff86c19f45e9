# shells: dash bash
# source: POSIX.1-2017 XCU 2.9.5 Function Definition Command; positional parameters of a call
f(){ echo "$# $1 $2"; g "$@"; }
g(){ echo "g: $*"; }
set -- outer; f a "b c"; echo $1
fact(){ if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }
fact 6
