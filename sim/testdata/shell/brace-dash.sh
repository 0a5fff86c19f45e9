# shells: dash sh
# source: dash(1) has no brace expansion: the words stay as they are
echo a{d,c,b}e {1..3}
