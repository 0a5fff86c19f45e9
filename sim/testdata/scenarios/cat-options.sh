# cat (coreutils 9.1): -n/-b numbering across files, -s, -E, -T, -v and
# their combinations -A/-e/-t, -u, and the errors cat(1) and info cat
# describe.
cd /tmp
echo 'a\tb\n\n\n\01c\0177\0303\0251 \0233\0211\n\0377\c' > f; printf 'x' > g; printf 'l1\r\nl2\n' > h
cat -n f; echo; cat -b f; echo; cat -s f; echo; cat -E f; echo; cat -T f; echo
cat -v f; echo; cat -A f; echo; cat -e f; echo; cat -t f; echo; cat -u g; echo
cat -ns f; echo; cat -bn f; echo; cat -sb f; echo; cat --number --show-ends g; echo
cat -E h; cat -A h; cat --show-t h; cat --show-n h
cat f - g < g; echo; cat -n f g; echo; cat -n g g; echo; cat -n g - h < h
printf '\n\n\n' | cat -s; printf 'a\n\n\n\nb\n' | cat -sn; printf 'a\n\n\n\nb\n' | cat -sE
cat -x f; echo status=$?; cat --foo; echo status=$?; cat nope g; echo status=$?; cat /tmp; echo status=$?
cat --number=1 g; echo status=$?
