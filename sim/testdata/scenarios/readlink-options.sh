# readlink (coreutils 9.1): targets, -f/-e/-m canonical names and their
# failures, -n/-z/-v/-q, and the errors readlink(1) and info readlink
# describe.
cd /tmp; mkdir -p d/e; ln -s d/e l; ln -s nope dang; ln -s l l2; ln -s loop1 loop2; ln -s loop2 loop1; touch f
readlink l; echo status=$?; readlink l l2 dang; echo status=$?
readlink f; echo status=$?; readlink -v f; echo status=$?; readlink -v nope; echo status=$?; readlink -vq f; echo status=$?
readlink -n l; echo; readlink -n l l2; echo; readlink -z l | tr '\0' '@'; echo
readlink -f l2; echo status=$?; readlink -f dang; echo status=$?; readlink -e dang; echo status=$?; readlink -ev dang; echo status=$?
readlink -m dang/x/../y; echo status=$?; readlink -f dang/x; echo status=$?; readlink -e /tmp//d/./e/; echo status=$?
readlink -f loop1; echo status=$?; readlink -fv loop1; echo status=$?; readlink -e f/; echo status=$?; readlink -ev f/x; echo status=$?; readlink -f f/x; echo status=$?
readlink -f .; readlink -f ..; readlink -f ""; echo status=$?; readlink ""; echo status=$?; readlink -fv ""; echo status=$?
readlink; echo status=$?; readlink -x; echo status=$?; readlink --canonicalize-m l; echo status=$?; readlink -f -e -m d/../f; readlink -fn l
readlink -m loop1/x; readlink -f l/../f; readlink -e l2/../../f; readlink -m /../a/./b//; readlink -v 'a b'; readlink -f /proc/self/../sys
cd d; readlink -f ../l2 e/..; readlink -e ../f/; echo status=$?
