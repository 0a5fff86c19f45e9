# tee (coreutils 9.1), as tee(1) documents it: "Copy standard input to
# each FILE, and also to standard output", -a, -i, -p ("operate in a more
# appropriate MODE with pipes"), --output-error[=MODE] with warn,
# warn-nopipe, exit, exit-nopipe, open errors, and getopt's refusals.
cd /tmp
echo one | tee t1 t2; cat t1 t2
echo two | tee -a t1 >/dev/null; cat t1
echo three | tee --append t1 - ; cat t1
echo x | tee /nonexist/f; echo s=$?
echo x | tee /; echo s=$?
echo x | tee -i t3; cat t3
echo x | tee -p t4; echo s=$?
echo x | tee --output-error=warn t5; echo s=$?
echo x | tee --output-error=foo t5; echo s=$?
echo x | tee -z; echo s=$?
echo x | tee --foo; echo s=$?
echo x | tee
echo x | tee -- -a; cat ./-a
echo x | tee --ap t6 --ignore-i; cat t6
{ (sleep 0.2; echo x) | tee --output-error=warn t8; echo s=$? >&2; } | true; cat t8
{ (sleep 0.2; echo x) | tee -p t9; echo s=$? >&2; } | true; cat t9
{ (sleep 0.2; echo x) | tee t10; echo s=$? >&2; } | true; cat t10
{ (sleep 0.2; echo x) | tee --output-error=exit-n t11; echo s=$? >&2; } | true
echo x | tee --output-error=ex t12; echo s=$?
echo x | tee 'a b' /nonexist/'c d'; echo s=$?
