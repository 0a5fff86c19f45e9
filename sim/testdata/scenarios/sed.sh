# sed(1) (GNU sed 4.9): "-E, -r, --regexp-extended: use extended regular
# expressions in the script"; addresses, ranges and the editing commands
# of the sed manual's examples.
printf 'one two\nthree four\nfive six\n' > /tmp/t
sed -E 's/(\w+) (\w+)/\2 \1/' /tmp/t
sed -r 's/o+/0/g' /tmp/t; sed 's/\(e\)*/[&]/2' /tmp/t
sed -E 's/^|$/|/g; s/[aeiou]{2}/VV/' /tmp/t
sed -n '2p' /tmp/t; sed -n '$p' /tmp/t; sed '2d' /tmp/t; sed '1!G;h;$!d' /tmp/t
sed -n '/two/,/four/p' /tmp/t; sed '2,$s/^/> /' /tmp/t; sed -n '1~2p' /tmp/t; sed '0,/o/s//0/' /tmp/t
sed '2q' /tmp/t; sed '2Q' /tmp/t; echo x | sed 'q5'; echo rc=$?
sed = /tmp/t | sed 'N;s/\n/ /'; sed '$!N;s/\n/+/' /tmp/t; sed 'n;d' /tmp/t
sed 'a\
after' /tmp/t | head -3; sed '1i before' /tmp/t | head -2; sed '/three/c\changed' /tmp/t
sed 'y/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/' /tmp/t
sed -e 's/one/1/' -e 's/two/2/' /tmp/t; sed -n '/f/{s/f/F/;p}' /tmp/t; sed 's/.*/\U&/;s/O/\l&/' /tmp/t
sed ':a;N;$!ba;s/\n/,/g' /tmp/t; sed -E 's#/#|#g' <<X
/a/b
X
printf "a\nb" | sed p; echo .; printf "a\0b\0" | sed -z "s/^/>/" | tr "\\0" "\\n"
sed -n '/two/{n;p}' /tmp/t; sed '2,1p' /tmp/t | wc -l; sed -n '2,+1p' /tmp/t; sed '/one/,~2d' /tmp/t
cp /tmp/t /tmp/u; sed -i 's/six/6/' /tmp/u; cat /tmp/u; sed -n 's/one/1/w /tmp/w' /tmp/t; cat /tmp/w
sed -E 's/(a|b/x/' /tmp/t; echo rc=$?
for s in 's/a/b' 's/a/b/q' 'k' '{p' 'p}' 'p x' '/a' 's/a/\1/' '3,' 'y/ab/c/' 'a' '0p' 'b nolabel'; do echo a | sed "$s"; printf "rc=%s [%s]\n" $? "$s"; done
sed p /tmp/nosuch; echo rc=$?; sed -z p /tmp/t 2>&1 | head -2; sed 2>&1 | head -1; echo rc=$?
sed -n /tmp/nosuch /tmp/t; echo rc=$?
cp /tmp/t /tmp/v; sed -i.bak 's/one/1/' /tmp/v; cat /tmp/v.bak /tmp/v | head -2; ls /tmp | sort; sed -i p; echo rc=$?
