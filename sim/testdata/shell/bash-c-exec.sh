# shells: bash dash
# source: the issue ("bash exec'ing the last command of -c"): bash runs the last command of -c without forking, dash 0.5.12 forks it
sh -c 'echo $$' > p1
sh -c 'cat p1; exec sh -c "echo \$\$"' | { read a; read b; [ "$a" = "$b" ] && echo same || echo differ; }
