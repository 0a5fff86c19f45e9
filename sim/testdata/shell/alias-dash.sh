# shells: dash
# source: dash(1) "alias [name[=string ...]]"; aliases take effect from the next line read
alias e='echo said:' ll='ls -l'
alias; alias e
e hi
unalias e; e hi
