# shells: dash bash
# source: POSIX.1-2017 XCU 2.6.4 Arithmetic Expansion (assignment operators of the C standard)
i=0; echo $((i+=1)) $i; echo $((i*=5)) $((i-=2)) $((i/=2)) $((i%=2)) $i
x=7; echo $((x<<=2)) $((x>>=1)) $((x&=6)) $((x|=9)) $((x^=3)) $x
echo $((y=4)) $y $((1?2:3)) $((0 && 1)) $((2 || 0))
