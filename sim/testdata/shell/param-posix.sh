# shells: dash bash
# source: POSIX.1-2017 XCU 2.6.2 Parameter Expansion, examples
unset X; echo ${X:-abc} ${X-def}; X=; echo "[${X:-abc}] [${X-def}]"
unset Y; echo ${Y=set} $Y
x=file.c; echo ${x%.c}.o
x=posix/src/std; echo ${x%%/*} ${x#*/} ${x##*/}
x=/one/two/three; echo ${x#/*/}
HOME=/usr/posix; echo ${HOME#/usr/}
x=abcd; echo ${#x}
set -- a b c; echo ${#} ${#*}
