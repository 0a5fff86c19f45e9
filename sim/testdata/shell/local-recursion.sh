# shells: dash bash
# source: dash(1) local: a function's local variables are seen by the functions it calls and restored on return
depth() { local n=$1; if [ "$n" -gt 0 ]; then depth $((n-1)); fi; echo "n=$n"; }
depth 3
n=outer; depth 0; echo $n
