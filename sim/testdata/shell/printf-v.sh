# shells: bash
# source: bash(1) printf: "The -v option causes the output to be assigned to the variable var"
printf -v x '%03d' 7; echo "x=$x"
printf -v 'y' '%s-%s' a b; echo $y
