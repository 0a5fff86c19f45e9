# shells: dash bash
# source: POSIX.1-2017 XCU break and continue, EXAMPLES
for i in 1 2 3; do for j in a b c; do [ $j = b ] && continue; [ $i = 2 ] && break 2; echo $i$j; done; done
i=0; while true; do i=$((i+1)); [ $i -lt 3 ] || break; echo w$i; done
