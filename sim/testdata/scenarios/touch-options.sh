# touch (coreutils 9.1): -c, -t [[CC]YY]MMDDhhmm[.ss], -r and the errors
# touch(1) and info touch describe; -a/-m/-d are refused by the simulator
# and so are not exercised here.
mkdir /tmp/t && cd /tmp/t
touch -c nofile; echo status=$?; ls
touch -t 202001021530.45 a; ls -l --time-style=full-iso a
touch -t 7001021530 b; ls -l --time-style=full-iso b
touch -t 6801021530 b; ls -l --time-style=full-iso b
touch --reference=a c; ls -l --time-style=full-iso c
touch -r b a; ls -l --time-style=full-iso a
touch --no-cr e; echo status=$?; ls
touch -cf a; echo status=$?
touch -x a; echo status=$?
touch --foo a; echo status=$?
touch -t; echo status=$?
touch -t 99999 a; echo status=$?
touch -t 202002300000 a; echo status=$?
touch -t 2020010100.5 a; echo status=$?
touch -r nope d; echo status=$?
touch -r nope -t 202001010000 d; echo status=$?
touch; echo status=$?
touch nodir/x; echo status=$?
