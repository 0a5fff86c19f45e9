# shells: dash bash sh
# source: the example; POSIX.1-2017 XCU 2.14 "return": "the exit status shall be n"
f(){ echo a; return 1; echo b; }; f; echo $?
g(){ true; return; }; g; echo $?
h(){ false; return; }; h; echo $?
k(){ for i in 1 2 3; do [ $i = 2 ] && return $i; echo $i; done; }; k; echo $?
