# shells: dash
# source: dash(1) has no arrays: "a=(1 2)" is a syntax error
a=(1 2)
echo not reached
