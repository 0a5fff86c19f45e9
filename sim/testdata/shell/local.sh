# shells: dash bash
# source: dash(1) "local [variable | variable=value]": "the variable is made local to the function"
x=global
f(){ local x=inner y; y=set; echo "in: $x $y"; g; }
g(){ echo "g sees: $x"; }
f; echo "out: $x ${y-unset}"
