# The shell: lists, pipelines, expansions, exit statuses, errors.
x=world; echo "hello $x" 'single $x' $((2 + 3 * 4))
false || echo or; true && echo and
echo a | tr a b | cat
for i in 1 2 3; do printf '%s-' $i; done; echo
if [ -d /tmp ]; then echo dir; else echo nodir; fi
nosuchcommand; echo status=$?
sh -c 'exit 7'; echo status=$?
echo $(echo nested $(echo deep))
case abc in a*) echo star;; *) echo other;; esac
