# unshare(1): "--map-users=outeruid,inneruid,count ... --map-auto ... use
# newuidmap(1) and newgidmap(1)"; the lab has neither (shadow's uidmap is
# not installed), and util-linux 2.38 checks the ranges while it parses.
su student -c 'unshare --map-auto true; echo status=$?'
unshare --map-groups=auto true; echo status=$?
unshare --map-users=1,2,3 --map-groups=0,0 true; echo status=$?
for a in 0,0 0,x,1 0,0,10 1,2,3,4 -1,0,1 "" 1,,2 1,2,3,; do unshare --map-users="$a" true; echo "status=$? [$a]"; done
printf "" > /etc/subuid; unshare --map-users=auto true; echo status=$?
