# head (coreutils 9.1), as head(1) documents it: "-c, --bytes=[-]NUM
# print the first NUM bytes of each file; with the leading '-', print all
# but the last NUM bytes", "-n, --lines=[-]NUM", -q, -v, -z, "NUM may
# have a multiplier suffix: b 512, kB 1000, K 1024, MB 1000*1000, M
# 1024*1024 ...", the obsolete -NUM form, and getopt's refusals.
cd /tmp
seq 1 15 > n
printf 'a\nb\nc' > p
head n | tr '\n' ' '; echo
head -n 3 n
head -n3 n p
head -3 n
head -c 5 n
head -c -25 n
head -n -12 n
head -n +2 n
head -q -n1 n p
head -v -n1 n
head -n 2 - < p
head -n 1 n nosuch p; echo s=$?
head -n x n; echo s=$?
head -c 1x n; echo s=$?
head -c 1K n | wc -c
head -n 1k n | wc -l
head --lines=2 n
head --li 1 n
head -x n; echo s=$?
head --foo; echo s=$?
head -n; echo s=$?
head /; echo s=$?
head -2c n
head -n 0 n; echo s=$?
printf 'a\0b\0c\0' | head -z -n 2 | tr '\0' '\n'
head -c 2b n | wc -c
head -n -1 p
head -c -1 p; echo
head -1 -n 2 n
head n -2; echo s=$?
seq 1 400 > big
head -c 1kB big | wc -c
head -c 1KiB big | wc -c
head -c 1KB big | wc -c
head -c 1Kx big; echo s=$?
head -n 99999999999999999999999 n; echo s=$?
head -n --5 n; echo s=$?
head -2b big | wc -c
seq 1 100000 | head -n 2
