# shells: bash
# source: bash(1) ALIASES: "Aliases are not expanded when the shell is not interactive, unless the expand_aliases shell option is set"
alias ll='ls -l' e=echo; alias; alias e; e hi; echo $?; unalias e; alias; alias nope; echo $?
