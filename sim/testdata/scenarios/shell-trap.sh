# dash's trap: an action runs at the next command boundary with $? kept;
# "" ignores a signal, and a signal ignored on entry to a non-interactive
# shell cannot be trapped; the EXIT trap runs when the script ends.
trap "echo hi" TERM; kill -TERM $$; echo after; trap; trap - TERM; trap "" INT; kill -INT $$; echo x; trap; trap 'echo bye' EXIT; echo end
sh -c 'kill -INT $$; echo no'; echo status=$?
sh -c 'trap "echo caught" INT; kill -INT $$; echo yes'; echo status=$?
sh -c 'trap "" TERM; sh -c "kill -TERM \$\$; echo sub"; echo status=$?'
