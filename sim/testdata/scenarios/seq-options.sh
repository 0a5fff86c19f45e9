# seq (coreutils 9.1), as seq(1) and the info manual document it: "Print
# numbers from FIRST to LAST, in steps of INCREMENT", -f FORMAT ("printf-
# style floating-point FORMAT"), -s STRING, -w ("equalize width by padding
# with leading zeroes"), the info manual's "seq -f '%03g'" and "seq 0 .1
# 1" examples, negative numbers as operands, and seq's refusals.
seq 3
seq 2 4
seq 1 2 7 | tr '\n' ' '; echo
seq 5 -2 1 | tr '\n' ' '; echo
seq -w 8 10 | tr '\n' ' '; echo
seq -s, 3
seq -s ': ' 1 3
seq 0.5 0.25 1.5 | tr '\n' ' '; echo
seq 1 0.5 2 | tr '\n' ' '; echo
seq -f '%03g' 3 | tr '\n' ' '; echo
seq -f 'n=%.2f' 1 2
seq -w 0.5 0.5 10 | tr '\n' ' '; echo
seq -w -1 1 | tr '\n' ' '; echo
seq 3 1; echo s=$?
seq; echo s=$?
seq x; echo s=$?
seq 1 0 3; echo s=$?
seq -f %d 3; echo s=$?
seq -f 'a%gb%g' 3; echo s=$?
seq -f 'abc' 3; echo s=$?
seq -x; echo s=$?
seq 1 2 3 4; echo s=$?
seq -- -2 0 | tr '\n' ' '; echo
seq -2; echo s=$?
seq 1e2 1e2
seq 10 -3 1 | tr '\n' ' '; echo
seq --sep=- 3; echo
seq -w -f %g 3; echo s=$?
seq 0 .1 .3 | tr '\n' ' '; echo
seq 1.0 3 | tr '\n' ' '; echo
seq 1 1.0 3 | tr '\n' ' '; echo
seq -f %%%g 2 | tr '\n' ' '; echo
seq 3 -w; echo s=$?
seq -s '' 3; echo
seq -f '%e' 1 2
seq -f '%+6.1f|' 1 2
seq -f '%-6g|' 1 2
seq -f "%'g" 1000 1000
seq 0 .1 1 | tr '\n' ' '; echo
seq 1e-1 .1 .3 | tr '\n' ' '; echo
seq -w 1 .5 2 | tr '\n' ' '; echo
seq 1000000 1000001 | tr '\n' ' '; echo
seq -f %g 1000000 1000001 | tr '\n' ' '; echo
seq nan; echo s=$?
seq -f % 1; echo s=$?
seq -f %a 1; echo s=$?
seq -1.5 1 | tr '\n' ' '; echo
seq -w -.5 .5 1 | tr '\n' ' '; echo
seq --format=%.3f 2 2
seq --equal 9 11 | tr '\n' ' '; echo
seq -f '%a' 0 0.75 3 | tr '\n' ' '; echo
seq -f '%.2a|' -0.1 -0.1
seq -f '%A' -2.5 -2.5
seq -f '%12a|' 5 5
seq -f '%-12a|' 5 5
seq -f '%012a|' 5 5
seq -f '%%%.0a' 31 31
seq -f '%#a' 31 31
seq -f '%+.20a' 31 31
seq -f '%.1a' 0.99999 0.99999
