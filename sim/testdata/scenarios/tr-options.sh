# tr (coreutils 9.1), as tr(1) documents it: "Translate, squeeze, and/or
# delete characters from standard input", SETs with \NNN, \\, \n ...,
# CHAR1-CHAR2, [CHAR*], [CHAR*REPEAT] ("octal if starting with 0"),
# [:CLASS:], [=CHAR=], -c/-C, -d, -s, -t, the info manual's
# "tr -cs '[:alnum:]' '[\n*]'" (one word per line), its operand rules and
# messages, and getopt's refusals.
echo hello | tr a-z A-Z
echo hello | tr -d l
echo 'aa  bb' | tr -s ' '
echo 'aabbcc' | tr -s a-c
echo hello | tr -c 'a-z\n' x
echo hello | tr -cd 'l\n'
echo hello | tr -ds l o
echo hello | tr -t abcdefgh xy
echo hello | tr el x
echo hello | tr '[:lower:]' '[:upper:]'
echo 'a1b2' | tr -d '[:digit:]'
echo hello | tr 'a-z' '[x*]'
echo hello | tr 'a-z' 'A-C[x*3]Z'
echo hello | tr '\154' '\t' | tr '\t' '_'
echo hello | tr '[=l=]' L
echo hello | tr; echo s=$?
echo hello | tr a; echo s=$?
echo hello | tr a b c; echo s=$?
echo hello | tr -d a b; echo s=$?
echo hello | tr z-a x; echo s=$?
echo hello | tr -x a b; echo s=$?
echo hello | tr --foo a b; echo s=$?
echo hello | tr a ''; echo s=$?
echo hello | tr '[:upper:]' a; echo s=$?
echo hello | tr a '[:upper:]'; echo s=$?
echo hello | tr -s; echo s=$?
echo 'a\b' | tr '\\' /
echo hello | tr 'a-z' '[:upper:]'; echo s=$?
echo hello | tr '[:lower:]' 'A-Z'
echo hello | tr 'h-' 'xy'
echo hello | tr --del l
echo 'the quick, brown fox' | tr -cs '[:alnum:]' '[\n*]'
echo 'aaabbb' | tr -s 'ab' 'xy'
echo hello | tr -C 'l\n' '.'
echo hello | tr 'hel' '[a*010]'
echo hello | tr 'a-z' '[a*08]'; echo s=$?
echo hello | tr '[a*]' x; echo s=$?
echo hello | tr '[:foo:]' x; echo s=$?
echo hello | tr 'a-z' 'x[y*][z*]'; echo s=$?
echo hello | tr '[:alpha:]' '[:digit:]'; echo s=$?
echo hello | tr '[=ll=]' x; echo s=$?
echo 'a:b' | tr : '\n'
echo hello | tr -d -s l; echo s=$?
echo hello | tr -sd l o l; echo s=$?
echo hello | tr --truncate-set1 hel xy
