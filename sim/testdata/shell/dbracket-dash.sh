# shells: dash sh
# source: dash(1) has no [[ ]]: dash looks for a command named [[
x=1
[[ $x == 1 ]] && echo yes
echo "status $?"
