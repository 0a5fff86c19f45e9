# shells: dash bash
# source: POSIX.1-2017 XCU 2.9.4.3 case, and 2.13 Pattern Matching Notation
for w in abc x1 .hidden '*' Z; do
  case $w in
  a*) echo "$w: a-star";;
  x[0-9]) echo "$w: x-digit";;
  .*|\*) echo "$w: dot or star";;
  [!a-z]) echo "$w: not lower";;
  esac
done
