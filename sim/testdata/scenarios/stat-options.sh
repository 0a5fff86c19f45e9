# stat (coreutils 9.1): -c/--format and --printf with the % sequences
# stat(1) lists (those that do not depend on the machine or the clock),
# printf's flags, width and precision, -L, and the errors (-f and -t are
# not simulated, so not run here).
cd /tmp; echo hi > f; ln -s f l; mkdir d; touch -t 202001021530.45 f; : > e
stat -c '%a|%A|%b|%B|%f|%F|%g|%G|%h|%n|%N|%o|%s|%u|%U|%y|%Y|%x|%X|%t|%T|%q|%%|%' f; echo status=$?
stat -c '%N %F %s %f' l; stat -L -c '%N %F %s' l; stat --deref -c '%n %F' l; stat -c '%n %t %T %Hr %Lr %F %a %f' /dev/null /dev/tty d e
stat -c '%m %F %A %h' / /dev d
stat --printf '%n\t%s\n\\101\\x41\\n' f; echo; stat --printf='%s' f f; echo; stat -c '%5s|%-5s|%05s|%.3y|%10.4n|%#a|%+s|% u|%.2Y|%8.3Y|' f
stat --format=%n:%s: f e
stat -c; echo status=$?; stat -x f; echo status=$?;
stat nope; echo status=$?; stat; echo status=$?; stat -c %n nope f; echo status=$?; stat --printf; echo status=$?
