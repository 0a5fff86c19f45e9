# shells: bash
# source: bash(1) Arrays
a=(one two "three four")
echo ${a[0]} ${a[2]} ${#a[@]} ${#a[2]}
a[5]=six; echo ${#a[@]} ${!a[@]}
for x in "${a[@]}"; do echo "[$x]"; done
a+=(seven); echo ${a[-1]} ${a[@]:1:2}
unset 'a[0]'; echo ${a[*]}
declare -a b=(x y); echo ${b[1]} $b
declare -A m; m[k]=v; m[j]=w; echo ${m[k]} ${m[j]} ${#m[@]}
echo ${a}
