# shells: dash bash
# source: POSIX.1-2017 XCU 2.6.5 Field Splitting
IFS=:; x=a:b::c; for f in $x; do echo "[$f]"; done
IFS=' '; set -- $(echo "  lead  trail  "); echo $#
unset IFS; y="p q"; set -- $y; echo $#
