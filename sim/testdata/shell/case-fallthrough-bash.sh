# shells: bash
# source: bash(1) case: ";&" falls through to the next list, ";;&" tests the next pattern
for v in a b; do
  case $v in
  a) echo "a";&
  b) echo "a or b";;&
  *) echo "any";;
  esac
done
