# shells: bash
# source: bash(1) declare: -i, -r, -x, -p
declare -i n=3+4; echo $n; n+=1; echo $n
declare -r ro=1; ro=2; echo $? $ro
declare -x ex=e; sh -c 'echo $ex'
declare s=str; declare -p s n
typeset t=1; echo $t
