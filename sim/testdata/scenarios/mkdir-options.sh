# mkdir and rmdir (coreutils 9.1): mkdir -p/-m/-v, rmdir -p/-v/
# --ignore-fail-on-non-empty, and the errors mkdir(1), rmdir(1) and info
# mkdir describe (-m's bits are set whatever the umask).
cd /tmp
mkdir -v a; echo status=$?
mkdir -pv b/c/d; echo status=$?
mkdir -m 700 e; ls -ld e | cut -d" " -f1
mkdir -pm 711 f/g; ls -ld f f/g | cut -d" " -f1
mkdir -m u=rwx,go=rx h; ls -ld h | cut -d" " -f1
mkdir -m a+t i; ls -ld i | cut -d" " -f1
mkdir -m 777 j; ls -ld j | cut -d" " -f1
mkdir -m g+w k; ls -ld k | cut -d" " -f1
mkdir -m -w k2; ls -ld k2 | cut -d" " -f1
mkdir -m bad x; echo status=$?
mkdir -m; echo status=$?
mkdir -x x; echo status=$?
mkdir; echo status=$?
mkdir -p a; echo status=$?
mkdir a; echo status=$?
mkdir -v --parents=x z; echo status=$?
mkdir --mode=755 --verb l; echo status=$?
touch fi; mkdir -p fi/x; echo status=$?
mkdir -p fi; echo status=$?
mkdir nod/x; echo status=$?
mkdir -pv /tmp/b/c/./d2/; echo status=$?
mkdir -pv //tmp//n1//n2; echo status=$?
umask 777; mkdir -p u1/u2; umask 022; ls -ld u1 u1/u2 | cut -d" " -f1
rmdir -v a; echo status=$?
rmdir -pv b/c/d; echo status=$?
mkdir -p m/n; touch m/o; rmdir -p m/n; echo status=$?
rmdir --ignore-fail-on-non-empty m; echo status=$?
rmdir -v --ignore m x; echo status=$?
rmdir fi; echo status=$?
rmdir; echo status=$?
rmdir -x; echo status=$?
mkdir -p /tmp/p/q; cd /tmp/p; rmdir -pv q; echo status=$?
mkdir -p w/y; touch w/z; rmdir -pv --ignore-fail-on-non-empty w/y; echo status=$?
mkdir -p s//t///; rmdir -pv s//t///; echo status=$?
cd /tmp; for m in 1777 2777 1700 a+t o+t +t g+s u+s =t a=rwxt u=rwx,+t a+rwt 2700 +w a+w o+w 0 =; do rm -rf x; mkdir -m $m x && echo "$m $(ls -ld x | cut -d' ' -f1)"; done
umask 077; for m in 1777 a+t +t a+rwt +w g+w 777 o=w; do rm -rf x; mkdir -m $m x && echo "u077 $m $(ls -ld x | cut -d' ' -f1)"; done
umask 022
