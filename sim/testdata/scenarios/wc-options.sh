# wc (coreutils 9.1), as wc(1) documents it: "Print newline, word, and
# byte counts for each FILE, and a total line if more than one FILE is
# specified. A word is a non-zero-length sequence of printable characters
# delimited by white space." The order is newline, word, character,
# byte, maximum line length (-l -w -m -c -L); getopt refuses the rest.
cd /tmp
printf 'hello world\nfoo\n' > a
printf 'x y z\n\tlonger line here\n' > b
wc a
wc a b
wc -l a b
wc -lw a
wc -c < a
wc < a
wc -L a b
wc -m a
wc -lL a
printf 'no newline' | wc
printf 'é\n' | wc -mc
wc nosuch; echo s=$?
wc a nosuch; echo s=$?
wc -x; echo s=$?
wc --foo; echo s=$?
wc --li a
wc --lines --words a - < b
wc /; echo s=$?
echo a | wc -l -
printf 'a\tb\n' | wc -L
printf 'ab\rc\n\fxyz' | wc -lL
printf 'é日本\n' | wc -L
wc /dev/null a
wc -cl -- a
wc --max-line a
wc --lines=3 a; echo s=$?
wc -clmwL a b
