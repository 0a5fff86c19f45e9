# grep (GNU grep 3.8): the options of grep(1) and the info manual's
# "Usage" examples: several -e, -f, -E/-F/-G, -i, -v, -c, -l, -L, -n,
# -o, -q, -s, -w, -x, -h/-H, -m, -A/-B/-C/-NUM with "--" between groups,
# the exit status ("0 if a line is selected, 1 if no lines were
# selected, and 2 if an error occurred. However, if -q ... is used and a
# line is selected, the exit status is 0 even if an error occurred"),
# and getopt's refusals.
cd /tmp
printf 'alpha\nbeta\ngamma\nAlpha beta\n' > f
printf 'one\nbeta two\n' > g
grep -e alp -e gam f
grep -i alpha f; echo s=$?
grep -c a f g
grep -l beta f g
grep -L one f g
grep -n -v beta f
grep -o 'a.' f
grep -w beta f
grep -x beta f
grep -h beta f g
grep -H beta f
grep -m1 a f
grep -E 'al|ga' f
grep -F 'a.' f; echo s=$?
grep -A1 alpha f
grep -B1 gamma f
grep -C1 gamma f
grep -n -A1 -e alpha -e Alpha f
grep -q beta f; echo q=$?
grep beta nosuch; echo s=$?
grep -s beta nosuch; echo s=$?
grep --frob beta f; echo s=$?
grep -e; echo s=$?
grep; echo s=$?
grep --in beta f; echo s=$?
grep --count beta f
printf 'alp\ngam\n' > pats; grep -f pats f
grep 'a\(' f; echo s=$?
grep -c beta < f
grep -L one f g; echo L=$?
grep -L beta f g; echo L=$?
grep -A x a f; echo s=$?
grep -m x a f; echo s=$?
grep -m0 a f; echo s=$?
grep -c -m2 a f
grep -m1 -A2 alpha f
grep beta /; echo s=$?
grep -q beta nosuch f; echo s=$?
grep -o -v beta f; echo s=$?
grep -n -o 'a' f
grep -e '' f | wc -l
: > empty; grep -f empty f; echo s=$?
grep -c beta f nosuch; echo s=$?
grep -l -c beta f g
grep --regexp=beta --with-filename f
grep -iw ALPHA f
grep -2 beta f; echo s=$?
grep -E 'a{2' f; echo s=$?
grep '[a' f; echo s=$?
grep -x -e beta -e gamma f
printf 'a\nb\nc\nd\ne\nf\ng\n' | grep -A1 -e a -e d -e g
printf 'a\nb\nc\nd\ne\nf\ng\n' | grep -B1 -n c
grep -h -n beta f g
grep -cv beta f
grep --max-count 1 --line-n a f
grep --fixed- 'a.' f; echo s=$?
grep -vc alpha -- -f f; echo s=$?
grep -ci alpha f -
grep -e --fix -e alpha f; echo s=$?
grep --fixed-s=x f; echo s=$?
grep --in beta f; echo s=$?
