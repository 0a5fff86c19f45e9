package sim

import (
	"strings"
	"testing"
)

// TestLsnsJSONProcessTree checks that lsns -J nests a row under the row of
// its first process's parent, as the drawn process tree does. The live
// fidelity suite cannot show it reliably: the rows follow inode numbers,
// which the kernel recycles.
func TestLsnsJSONProcessTree(t *testing.T) {
	l := labForTest(t)
	var out strings.Builder
	l.Run(`unshare -Urpf --mount-proc sh -c 'unshare -u sleep 5 & sleep 0.3; lsns -J -t uts -o TYPE,PID,COMMAND; lsns -J -l -t uts -o PID'`, &out, &out)
	want := `{
   "namespaces": [
      {
         "type": "uts",
         "pid": 1,
         "command": "sh -c unshare -u sleep 5 & sleep 0.3; lsns -J -t uts -o TYPE,PID,COMMAND; lsns -J -l -t uts -o PID",
         "children": [
            {
               "type": "uts",
               "pid": 2,
               "command": "sleep 5"
            }
         ]
      }
   ]
}
{
   "namespaces": [
      {
         "pid": 1
      },{
         "pid": 2
      }
   ]
}
`
	if out.String() != want {
		t.Errorf("lsns -J:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestJSONString(t *testing.T) {
	in := "a\"b\\c\nd\te\x01"
	want := `"a\"b\\c\nd\te\u0001"`
	if got := jsonString(in); got != want {
		t.Errorf("jsonString(%q) = %s, want %s", in, got, want)
	}
}
