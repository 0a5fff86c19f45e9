package sim

import (
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"echo 'unterminated", "Syntax error: Unterminated quoted string"},
		{"if true; then echo", "Syntax error: end of file unexpected (expecting \"fi\")"},
		{"echo a |", "Syntax error: end of file unexpected"},
		{"( echo", "Syntax error: end of file unexpected (expecting \")\")"},
		{"fi", "Syntax error: \"fi\" unexpected"},
		{"echo a ;; b", "Syntax error: \";;\" unexpected"},
		{"for 1x in a; do :; done", "Syntax error: Bad for loop variable"},
	}
	for _, tc := range tests {
		_, err := parseScript(tc.src)
		if err == nil || err.Error() != tc.want {
			t.Errorf("parse %q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestParseStructure(t *testing.T) {
	l, err := parseScript("a=1 b c | d && e || f & g; h\nif x; then y; fi")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.items) != 4 {
		t.Fatalf("%d and-or lists, want 4", len(l.items))
	}
	first := l.items[0]
	if !first.background || len(first.first.cmds) != 2 || len(first.rest) != 2 {
		t.Errorf("first list: background %v, %d commands in the pipeline, %d && / || parts", first.background, len(first.first.cmds), len(first.rest))
	}
	sc := first.first.cmds[0].(*simpleCmd)
	if len(sc.assigns) != 1 || sc.assigns[0].name != "a" || len(sc.words) != 2 {
		t.Errorf("simple command: %+v", sc)
	}
	if _, ok := l.items[3].first.cmds[0].(*ifNode); !ok {
		t.Errorf("last command is %T, want an if", l.items[3].first.cmds[0])
	}
}

func TestShellBehaviour(t *testing.T) {
	tests := []struct {
		script, out, errOut string
		status              int
	}{
		{`echo "a  b" 'c  d' e\ f`, "a  b c  d e f\n", "", 0},
		{`x="1 2"; for i in $x; do echo $i; done`, "1\n2\n", "", 0},
		{`x="1 2"; for i in "$x"; do echo $i; done`, "1 2\n", "", 0},
		{`echo $((1 + 2 * 3)) $((7 / 2)) $((7 % 3))`, "7 3 1\n", "", 0},
		{`false; echo $?; true; echo $?`, "1\n0\n", "", 0},
		{`false && echo no || echo yes`, "yes\n", "", 0},
		{`echo $$ $PPID`, "100 1\n", "", 0},
		{`sh -c 'echo $$ $PPID'`, "101 100\n", "", 0},
		{`sleep 1 & echo $!`, "101\n", "", 0},
		{`sleep 100 & kill $!; sleep 0.1; wait $!; echo $?`, "143\n", "", 0},
		{`(exit 3) & wait $!; wait $!; echo $?`, "3\n", "", 0},
		{`(exit 4); echo $?`, "4\n", "", 0},
		{`exit 5`, "", "", 5},
		{`foo`, "", "sh: 1: foo: not found\n", 127},
		{"echo a\nfoo", "a\n", "sh: 2: foo: not found\n", 127},
		{`bash -c foo`, "", "bash: line 1: foo: command not found\n", 127},
		{`echo hi | tr a-z A-Z`, "HI\n", "", 0},
		{`v=abc.tar.gz; echo ${v%%.*} ${v#*.} ${#v} ${nope:-dflt}`, "abc tar.gz 10 dflt\n", "", 0},
		{`case /x/y in */y) echo match;; esac`, "match\n", "", 0},
		{`i=0; while :; do i=$((i+1)); [ $i -ge 3 ] && break; done; echo $i`, "3\n", "", 0},
		{`echo $(echo a $(echo b))`, "a b\n", "", 0},
		{"cat <<EOF\nx $((1+1))\nEOF", "x 2\n", "", 0},
		{`echo x > /tmp/f; cat /tmp/f; cat < /tmp/f`, "x\nx\n", "", 0},
		{`echo x > /nonexist/f`, "", "sh: 1: cannot create /nonexist/f: Directory nonexistent\n", 2},
		{`cd /nonexist`, "", "sh: 1: cd: can't cd to /nonexist\n", 2},
		{`ls /proc/self/ns | head -3`, "cgroup\nipc\nmnt\n", "", 0},
		{`echo *`, "*\n", "", 0},
		{`cd /; echo *64 /*in`, "lib64 /bin /sbin\n", "", 0},
		{`sleep 100; echo done`, "done\n", "", 0},
		{`yes | head -2; echo ${PIPESTATUS:-done}`, "y\ny\ndone\n", "", 0},
		{`x=0123456789abcdef; while :; do x=$x$x; done`, "", "sh: 1: Out of space\n", 2},
	}
	for _, tc := range tests {
		out, errOut, st := runScript(t, labForTest(t), tc.script)
		if out != tc.out || errOut != tc.errOut || st != tc.status {
			t.Errorf("%q:\n got out=%q err=%q status=%d\nwant out=%q err=%q status=%d", tc.script, out, errOut, st, tc.out, tc.errOut, tc.status)
		}
	}
}

func TestEndlessCommandIsStopped(t *testing.T) {
	l := labForTest(t)
	_, _, st := runScript(t, l, `while :; do :; done`)
	if st != 128+SIGKILL {
		t.Errorf("endless loop: status %d, want %d", st, 128+SIGKILL)
	}
	out, _, _ := runScript(t, l, `echo after`)
	if out != "after\n" {
		t.Errorf("the lab does not go on after an endless command: %q", out)
	}
}

func FuzzParseScript(f *testing.F) {
	for _, s := range []string{"[[ a == b* && -n $x ]]", "a=(1 2); echo ${a[@]:1} ${v/x/y} {1..3}", "for ((i=0; i<2; i++)); do (( i++ )); done", "echo a | b && c || d &", "if a; then b; elif c; then d; else e; fi", "for i in 1 2; do echo $i; done", "x=${y:-z} $((1+2)) $(echo `pwd`)", "case a in a|b) x;; esac", "f() { echo; }", "cat <<E\nbody\nE\n", "'\"\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 {
			return
		}
		for _, bash := range []bool{false, true} {
			l, err := (&parser{src: src, line: 1, bash: bash}).script()
			if err == nil && l == nil {
				t.Fatal("no list and no error")
			}
			if err == nil {
				continue
			}
			// A parse failure is a syntax error with dash's words, which
			// the shells print.
			se, ok := err.(*syntaxError)
			if !ok {
				t.Fatalf("parse %q: %T %v, want a *syntaxError", src, err, err)
			}
			if !strings.HasPrefix(se.msg, "Syntax error") && se.msg != "Bad substitution" {
				t.Fatalf("parse %q: message %q is not dash's", src, se.msg)
			}
		}
	})
}

func FuzzRun(f *testing.F) {
	for _, s := range []string{"echo $((1/0))", "f() { f; }; f", "x='eval \"$x\"'; eval \"$x\"", "unshare -Urpf --mount-proc ps -ef | grep -c .", "cat <<E\n$(id)\nE", "exec 3>&1; echo hi >&3", "ip link set lo netns 1", "mount --bind / /mnt; ls /mnt", "kill -9 -1", "bash -c 'a=(x y); echo ${a[@]/x/z} ${#a[@]} {a,b}{1..2}; [[ $a =~ (x)+ ]]; echo ${BASH_REMATCH[1]}'", "bash -c 'f(){ local i; for ((i=0;i<3;i++)); do let j+=i; done; return 4; }; f; echo $? $j ${j:1:1}'", "f(){ getopts ab: o; return 2; }; alias x=f; set -- -b; x; umask 077; umask"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		if len(script) > 512 {
			return
		}
		l := NewLab(Options{})
		defer l.Close()
		var out strings.Builder
		l.Run(script, &out, &out)
		if out.Len() > 0 && l.Snapshot().Validate() != nil {
			t.Fatalf("invalid snapshot after %q", script)
		}
	})
}
