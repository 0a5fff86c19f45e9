# shells: bash
# source: bash(1) Here Strings: "<<< word"
read a b <<< "x y"; echo $a-$b
tr a-z A-Z <<< hello
cat <<< "$((1+2)) $a"
