# The shell's own errors, as dash words them.
cd /nonexistent
echo x > /usr/nope
cat < /nonexistent
exit 300
