# shells: bash dash
# source: the issue ("bash exec'ing the last command of -c"); checked on bash 5.2 and dash 0.5.12: bash -c runs its last simple command (alone or after && / ||) in place of itself, not in a group, not with a trap set; dash -c forks every command
me=$$
check() { if [ "$(cat ppid)" = "$me" ]; then echo "$1: exec"; else echo "$1: fork"; fi; }
bash -c 'sh -c "echo \$PPID"' > ppid; check "bash one command"
bash -c 'true; sh -c "echo \$PPID"' > ppid; check "bash last command"
bash -c 'true && sh -c "echo \$PPID"' > ppid; check "bash after &&"
bash -c '{ sh -c "echo \$PPID"; }' > ppid; check "bash group"
bash -c 'trap "echo t >&2" EXIT; sh -c "echo \$PPID"' > ppid; check "bash with a trap"
dash -c 'sh -c "echo \$PPID"' > ppid; check "dash one command"
dash -c 'true; sh -c "echo \$PPID"' > ppid; check "dash last command"
