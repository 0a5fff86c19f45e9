# awk(1) (mawk 1.3.4, Debian's default awk): the POSIX awk language of the
# man page's examples: fields, patterns and ranges, FS/OFS/RS, arrays,
# functions, printf, getline, redirections, commands and the builtins.
printf 'alice 30 x\nbob 25 y\ncarol 35 x\n\ndave 40 z\n' > /tmp/t
awk '{ print $1, $2 }' /tmp/t; awk '$2 > 28' /tmp/t; awk '/bob/,/carol/ { print NR": "$0 }' /tmp/t
awk 'NF { s += $2; n++ } END { print s, n, s/n, NR, FILENAME }' /tmp/t
awk -F: -v OFS=- '{ $1 = $1; print; print NF }' /etc/passwd | head -2
echo 'a1b22c' | awk -F'[0-9]+' '{ print $3, NF }'; echo ' a   b ' | awk '{ print NF ":" $1 }'
echo 'a:b:c' | awk 'BEGIN { FS = ":" } { print $2 }'; echo 'a b' | awk -F '' '{ print NF }'
echo 'a b c' | awk '{ $5 = "e"; print; print NF; NF = 2; print; $0 = "x y"; print $2 }'
printf 'a b\n\nc d\ne\n\n\nf\n' | awk 'BEGIN { RS = "" } { print NR ": " $1 "|" $NF "|" NF }'
printf 'a;b;c' | awk -v RS=';' '{ print NR, $0 }'; echo x | awk '{ print v, w }' v=1 w='a\tb'
awk 'BEGIN { x["a"] = 1; x["b", 2] = 3; for (k in x) n++; print n, ("a" in x), (("b", 2) in x), length(x)
  delete x["a"]; print ("a" in x); split("p:q:r", A, ":"); print A[1] A[3], split("", A), length(A) }'
awk 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }
function fill(arr, k) { arr[k] = k * 2 }
BEGIN { print fact(10); fill(t, 4); print t[4]; i = 0; while (i < 3) i++; do i--; while (i > 1); print i
  for (j = 0; j < 10; j++) { if (j == 2) continue; if (j == 4) break; printf "%d,", j } print "" }'
awk 'BEGIN { printf "%d %5.2f %c %s %x %o %e %g %i|%-5s|%05d|%+d|%.3s|%*d|%%\n", 3.9, 3.14159, 65, "s", 255, 8, 12345.678, 0.0001, 7, "ab", 42, 5, "abcdef", 4, 7 }'
awk 'BEGIN { print 1e6, 1e16, 123456789012, 0.1 + 0.2, 100 / 3, -7 % 3, 2 ^ 10, 2 ^ 3 ^ 2, -2 ^ 2, 1 / 0 }'
awk 'BEGIN { CONVFMT = "%.2g"; x = 3.14159; y = x ""; print y; OFMT = "%.3f"; print x, 17, x "" }'
echo '3 x 3.0 10' | awk '{ print ($1 < 10), ($2 < 10), ("3" < "10"), ($1 == $3), ($4 > $1), ($1 "" == $3) }'
awk 'BEGIN { s = "aaa"; n = gsub(/a/, "[&\\&]", s); print n, s; t = "hello"; sub(/l+/, "L", t); print t
  print match("foobar", /o+/), RSTART, RLENGTH, match("x", /y/), RSTART, RLENGTH
  print substr("hello", 2, 3), substr("hello", 0, 2), substr("hello", -1, 3), substr("hello", 4), index("abc", "c")
  print toupper("aB"), tolower("Q"), length("four"), int(-3.7), sqrt(16), exp(0), log(1), sin(0), cos(0), atan2(0, -1)
  print sprintf("%03d", 7), length(), "x" ~ /^[[:alpha:]]$/, "a{2}" ~ /a{2}/, "aa" ~ /a{2}/ }'
echo 'one two' | awk '{ sub(/o/, "0"); gsub(/o/, "O", $2); print; print $1 }'
awk 'BEGIN { while (("echo a; echo b" | getline line) > 0) print "got " line; print close("echo a; echo b") }'
awk 'BEGIN { print "z" > "/tmp/o"; print "w" >> "/tmp/o"; close("/tmp/o"); while ((getline l < "/tmp/o") > 0) print "r:" l
  print (getline x < "/nonexist"); print "b" | "cat"; close("cat"); print system("exit 4"); system("echo sys") }'
printf '1\n2\n3\n' | awk 'NR == 1 { getline; print "after getline:", $0, NR } NR == 3 { getline v; print "v=" v, $0 }'
printf '1\n2\n3\n4\n' | awk '$0 == 2 { next } { print } $0 == 3 { exit 5 } END { print "end", NR }'; echo "rc=$?"
awk 'BEGIN { print ENVIRON["HOME"], ARGC, ARGV[0], ARGV[1], ARGV[2] }' x y
awk 'BEGIN { x = 1; x++; print x++ + ++x, x--, x; y += 3; y *= 2; y -= 1; y /= 5; y %= 2; y ^= 3; print y; print !0, !"", !"a", -"3" }'
awk 'BEGIN { a = "x"; b = a "y" 1 + 2; print b, 1 " " 2, 1 - -1 }'
echo 'a b c' | awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? OFS : ORS) }'
printf '#!/usr/bin/awk -f\n{ print FNR ": " toupper($0) }\n' > /tmp/p.awk; awk -f /tmp/p.awk /tmp/t | head -2
chmod +x /tmp/p.awk; echo hi | /tmp/p.awk; echo 'x' | awk '{ print > "/dev/stderr" }' 2>&1
awk 'BEGIN { printf "%d %d %s\n", "0x1A", 1e10, 0x10 }'; awk -W version 2>/dev/null
echo 'foo.bar' | awk '{ n = split($0, p, "."); print n, p[2] }'; echo 'a|b' | awk -F'|' '{ print $2 }'
printf 'k v1\nk v2\nj v3\n' | awk '{ a[$1] = a[$1] " " $2 } END { print a["k"]; print a["j"] }'
awk 'BEGIN { s = "a.b.c"; gsub(".", "x", s); print s; u = "aaa"; gsub(/x*/, "-", u); print u; t = "hello"; sub(/l/, "\\\\&", t); print t }'
