# shells: bash
# source: bash(1) Parameter Expansion (substring, replacement, case modification, indirection)
v=abcdefgh
echo ${v:1:2} ${v:3} ${v: -3} ${v:2:-2} ${v::2}
p=/usr/local/bin:/usr/bin
echo ${p/usr/USR} ${p//usr/USR} ${p/#\/usr/X} ${p/%bin/Y} ${p//:/ }
n=Hello; echo ${n^^} ${n,,} ${n^} ${n~~}
ref=n; echo ${!ref}
set -- one two three four; echo ${@:2:2} ${*:3}
echo ${#n} ${n:10}
