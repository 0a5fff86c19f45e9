# dash's echo interprets backslash escapes and knows only -n; /bin/echo
# (coreutils) does not interpret them without -e.
echo 'a\tb'
echo -e 'x\ny'
echo -n no-newline; echo
/bin/echo 'a\tb'
/bin/echo -e 'c\td'
echo 'stop\chere'; echo
