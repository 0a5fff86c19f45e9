# shells: bash
# source: bash(1) ((expression)): "If the value of the expression is non-zero, the return status is 0"
i=0
(( i++ )); echo $? $i
(( i > 0 )) && echo positive
for ((j=0; j<3; j++)); do echo j=$j; done
(( 0 )); echo $?
let a=2*3 b=a+1; echo $a $b $?
let c=0; echo $?
