# shells: dash bash
# source: POSIX.1-2017 XCU read, rationale ("while read -r line"); the loop idiom of shell tutorials
printf 'alpha 1\nbeta 2\ngamma 3\n' > list
while read -r name n; do echo "$n:$name"; done < list
n=0; while IFS= read -r line; do n=$((n+1)); done < list; echo "$n lines"
cat list | while read a b; do [ "$b" = 2 ] && echo "found $a"; done
