# shells: dash bash
# source: POSIX.1-2017 XCU printf, EXAMPLES; dash(1) echo and printf
printf "%5d%4d\n" 1 21 321 4321 54321
printf '%s|%-5s|%5s\n' a b c
printf '%x %o %X %c %%\n' 255 8 255 xyz
printf '%b\n' 'a\tb'
printf '%d\n' abc; echo $?
printf '%s\n'
echo -n no newline; echo
echo 'a\tb'
printf '%.3s|%03d|%+d\n' abcdef 7 5
