# shells: dash
# source: dash(1) Parameter Expansion lists no ${v/a/b}
v=abcdef
echo ${v/a/b}
