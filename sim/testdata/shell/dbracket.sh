# shells: bash
# source: bash(1) [[ expression ]]: pattern matching, =~, &&, ||, < and > on strings
x=hello.txt
[[ $x == *.txt ]] && echo glob
[[ $x == "*.txt" ]] || echo quoted-literal
[[ $x =~ ^h(el+)o ]] && echo "re ${BASH_REMATCH[0]} ${BASH_REMATCH[1]}"
[[ -n $x && ! -z $x ]] && echo and
[[ a < b ]] && echo less
[[ 10 -gt 9 ]] && echo num
unset e; [[ -z $e ]] && echo "unquoted empty ok"
[[ x = y || 1 -eq 1 ]]; echo $?
[[ ( a == a ) && b != c ]]; echo $?
