# cut (coreutils 9.1): lists, ranges and their errors, -d/-s/--complement/
# --output-delimiter, and refused options, as cut(1) documents them.
echo a:b | cut -d: -f2,1
echo abc | cut -c 2-,1
echo a:b:c | cut -d: -f1,3 --output-delimiter=+
echo abc | cut -b 1,3 --complement
printf 'x\na:b\n' | cut -s -d: -f2
echo abcdef | cut -c1,3-4 --output-delimiter=:
echo a | cut -f x; echo status=$?
echo a | cut -f 1-2-3
echo a | cut -f 0
echo a | cut -f 3-1
echo a | cut -f -
echo a | cut -d ab -f1
echo a | cut -d: -c1
echo a | cut -s -c1
echo a | cut -x
echo a | cut -d
echo a | cut -f1 -c1
echo a | cut; echo status=$?
