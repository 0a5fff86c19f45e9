# set -e, -u and -x as dash has them: -e is ignored in conditions, && and
# || lists and after !.
sh -c 'set -e; false || echo ok; if false; then :; fi; ! true; echo before; false; echo after'; echo status=$?
sh -ec '(false); echo no'; echo status=$?
sh -c 'set -u; echo ${nope:-default}; echo $nope; echo unreachable'; echo status=$?
sh -c 'set -x; echo traced "a b"; x=$((1+1)); set +x; echo $x'
# (ps waits until the pipeline's other commands have exec'd.)
(sleep 0.5; ps -e -o comm=) | while read c; do echo "got $c"; done | sort | head -n 2
