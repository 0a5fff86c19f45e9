# shells: dash
# source: dash(1) Parameter Expansion lists no ${v:off:len} or ${v/a/b}: dash rejects them
v=abcdef
echo ${v:1:2}
echo not reached
