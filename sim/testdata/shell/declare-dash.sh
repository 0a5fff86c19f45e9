# shells: dash
# source: dash(1) has no declare, let or typeset
declare x=1
let y=2
echo $?
