# shells: bash dash
# source: bash(1) Command Substitution ("$(cat file) can be replaced by the equivalent but faster $(< file)") and Shell Variables (BASH_VERSION)
printf 'line one\nline two\n' > f
x=$(< f); echo "[$x]"
y=$(< missing); echo "status $? [$y]"
echo "${BASH_VERSION%%.*}"
echo x > /nonexistent/dir/f; echo "create $?"
cat < /nonexistent; echo "open $?"
