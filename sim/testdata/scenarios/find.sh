# find(1) of GNU findutils: "find searches the directory tree rooted at
# each given starting-point by evaluating the given expression from left
# to right ... If no expression is given, the expression -print is used".
# A tmpfs lists the newest entry first; -prune, -depth, -maxdepth,
# -mindepth, -exec with ; and +, the operators, and find's messages for a
# bad expression.
mkdir -p t/sub/deep t/empty
echo data > t/b
touch t/a t/sub/c
ln -s b t/link
find t
find t/ -maxdepth 1
find t -mindepth 2 -depth
find t -name '[ab]' -o -type l
find t -type d -empty
find t -path t/sub -prune -o -type f -print
find t ! -name '*[a-c]' -type f,l
find t -iname B -exec echo found {} \;
find t -type f -exec echo batch {} +
find t -name a -print -quit
find t -empty -type f -print0 | tr '\0' '\n'
find t -links +2 -type d
find t -true , -name c
find t/b t/nosuch t/b/x; echo status $?
find -L t -name link -type f
find t -exec false \; -print; echo status $?
find t -exec nosuch {} \; -quit; echo status $?
find t -name; echo status $?
find t -type q; echo status $?
find t -type fd; echo status $?
find t -maxdepth x; echo status $?
find t -name a b; echo status $?
find t \( -name a; echo status $?
find t -name a \); echo status $?
find t -o -name a; echo status $?
find t -name a -o; echo status $?
find t !; echo status $?
find t -exec echo {}; echo status $?
find t -inum x; echo status $?
find t -frobnicate; echo status $?
