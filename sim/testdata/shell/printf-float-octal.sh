# shells: dash bash
# source: POSIX.1-2017 XCU printf (the format's \ddd escapes; the e, f, g conversions of the C printf it follows); dash(1) printf
printf '%.2f|%e|%g|%5.1f|%E|%G\n' 3.14159 2.5 0.0001 7 1234.5 0.00001234
printf 'a\101b\7c\0d\n' | tr '\007\000' 'BN'
printf '%f\n' abc; echo status=$?
printf '%d %f\n' 3 "'A"
printf '%k\n' x; echo status=$?
