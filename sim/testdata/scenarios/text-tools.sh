# Text tools on the lab's files and pipes.
cut -d: -f1,7 /etc/passwd | head -n 3
grep -c nologin /etc/passwd > /dev/null && echo counted
seq 5 | sort -rn | tr '\n' ' '; echo
seq 10 | tail -n 3 | wc -l
seq 3 | sed 's/2/two/'
printf '%5s|%-5s|%03d|%x\n' a b 7 255
echo "a b c" | cut -d' ' -f2-
printf 'b\na\nb\n' | sort -u
echo hello | grep -o ll
readlink -f /bin/sh
uname -snmo
basename /usr/bin/unshare; dirname /usr/bin/unshare
