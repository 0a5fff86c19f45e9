# sort (coreutils 9.1) in the lab's C.UTF-8 locale, as sort(1) and the
# info manual's examples use it: "sort -t : -k 2,2n -k 5.3,5.4",
# "sort -k 1b,1", "-u ... output only the first of an equal run", -c/-C,
# -o onto an input file, key errors and getopt's refusals (exit 2).
cd /tmp
printf 'b\nB\na\n_x\n10\n9\n' | sort
printf 'b 2\na 10\nc 1\nb 1\n' | sort -k2n
printf 'b 2\na 10\nc 1\nb 1\n' | sort -k2,2n -k1,1r
printf 'x:3\ny:1\nz:2\n' | sort -t: -k2
printf 'a\nb\na\n' | sort -u
printf 'A\nb\na\n' | sort -f
printf 'A\nb\na\n' | sort -fu
printf ' b\na\n' | sort -b
printf '3\n1\n2\n' | sort -rn
printf '1\n3\n2\n' | sort -c; echo s=$?
printf '1\n3\n2\n' | sort -C; echo s=$?
printf 'a\nb\n' | sort -x; echo s=$?
printf 'a\n' | sort --foo; echo s=$?
printf 'a\n' | sort -k; echo s=$?
printf 'a\n' | sort -k 0; echo s=$?
printf 'a\n' | sort -t ab; echo s=$?
sort nosuch; echo s=$?
printf '2\n1\n' | sort -o out; cat out
printf 'a 1\nb 1\na 0\n' | sort -s -k2,2
printf '1.5\n-2\n1e2\n abc\n' | sort -n
printf 'x\n' | sort -k1.2,1.3 
printf 'ab\naa\nb\n' | sort -k1.2
printf 'a\0c\0b\0' | sort -z | tr '\0' ' '; echo
printf 'b\na\n' | sort -r -
printf 'r:x:5:1:a b c:/x:xyz\nd:x:2:1:z y a:/y:abc\nm:x:2:1:b a:/z:q\n' > pw
sort -t : -k 3,3n -k 5.3,5.4 pw
sort -t : -k 3,3n -k 7r pw
sort -t: -k2,2 -u pw
printf '  b x\n a y\nc z\n' | sort -k 1b,1
printf '  b x\n a y\nc z\n' | sort -k 1,1
printf 'a-b\nab\na b\n' | sort -d
printf '0.10\n.1\n-0\n0\n-1.5\n-1.25\n007\n' | sort -n
printf '0.10\n.1\n-0\n0\n' | sort -nu
printf 'a\na\n' | sort -cu; echo s=$?
printf 'a\nb\n' | sort --check=quiet; echo s=$?
printf 'b\na\n' | sort --check=maybe; echo s=$?
printf 'a\n' | sort -k 1.0; echo s=$?
printf 'a\n' | sort -k 1,x; echo s=$?
printf 'a\n' | sort -k 1.x; echo s=$?
printf 'a\n' | sort -k 1,1.; echo s=$?
printf 'a\n' | sort -k x; echo s=$?
printf 'c\na\nb\n' > in; sort -o in in; cat in
printf 'b 1\na 2\n' | sort -k2,2 -r
printf 'B\na\nA\nb\n' | sort -f -s
printf 'x\n' | sort -t ''; echo s=$?
sort -c a b 2>&1; echo s=$?
printf 'b\na' | sort
