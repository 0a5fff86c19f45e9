# shells: dash bash
# source: POSIX.1-2017 XCU read, EXAMPLES (fields split by IFS, the last variable takes the rest)
printf 'one two three four\n' | { read a b c; echo "$a|$b|$c"; }
printf 'x:y:z\n' | { IFS=: read a b; echo "$a|$b"; }
printf 'a\\ b c\n' | { read -r a b; echo "$a|$b"; }
printf 'a\\ b c\n' | { read a b; echo "$a|$b"; }
printf 'last' | { read l; echo "$? $l"; }
