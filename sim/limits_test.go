package sim

import "testing"

func TestLimits(t *testing.T) {
	runScriptCases(t, []scriptCase{
		{rule: "fork(2) fails with EAGAIN at the lab's task limit (the live engine's pids cgroup)",
			script: `i=0; while [ $i -lt 300 ]; do sleep 100 & i=$((i+1)); done; echo $i`, wantErr: "Cannot fork", wantStatus: 2},
		{rule: "a tmpfs holds at most its size (ENOSPC)",
			script:  `mount -t tmpfs -o size=8k small /mnt; echo 12345678901234567890 > /mnt/a; i=0; while [ $i -lt 300 ]; do cat /mnt/a >> /mnt/b || break; i=$((i+1)); done; echo $i`,
			wantOut: "195\n", wantErr: "cat: write error: No space left on device"},
	})
}
