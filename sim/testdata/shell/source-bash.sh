# shells: bash dash
# source: bash(1) "source filename [arguments]" (a bash builtin; dash has only ".")
echo 'echo sourced $1' > lib.sh
source ./lib.sh arg; echo $?
