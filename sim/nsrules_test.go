package sim

import (
	"bytes"
	"strings"
	"testing"
)

// runScript runs a script in a fresh lab and returns its output, its
// error output and its status.
func runScript(t testing.TB, l *Lab, script string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	st := l.Run(script, &out, &errOut)
	return out.String(), errOut.String(), st
}

// scriptCase is a rule of a man page checked by running a script.
type scriptCase struct {
	rule       string
	script     string
	wantOut    string // exact, when not empty
	wantErr    string // substring of the error output, when not empty
	wantStatus int
}

func runScriptCases(t *testing.T, cases []scriptCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			out, errOut, st := runScript(t, labForTest(t), tc.script)
			if tc.wantOut != "" && out != tc.wantOut {
				t.Errorf("output:\n%s\nwant:\n%s", out, tc.wantOut)
			}
			if tc.wantErr != "" && !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("error output %q does not contain %q", errOut, tc.wantErr)
			}
			if tc.wantErr == "" && errOut != "" {
				t.Errorf("unexpected error output %q", errOut)
			}
			if st != tc.wantStatus {
				t.Errorf("status %d, want %d", st, tc.wantStatus)
			}
		})
	}
}

func TestPIDNamespaceRules(t *testing.T) {
	runScriptCases(t, []scriptCase{
		{rule: "The first process created in a new namespace has the PID 1; its parent is outside (getppid returns 0)",
			script: `unshare -pf sh -c 'echo $$ $PPID'`, wantOut: "1 0\n"},
		{rule: "unshare(CLONE_NEWPID): the calling process is not moved into the new namespace",
			script: `unshare -p sh -c 'echo $$'`, wantOut: "101\n"},
		{rule: "the lab's first process has nsstate.LabFirstPID, the next ones follow",
			script: `echo $$; sh -c 'echo $$'`, wantOut: "100\n101\n"},
		{rule: "procps looks itself up in the /proc it reads: its own PID there names no process (the lab host's 2)",
			script: `unshare -Urpf sh -c 'ps -o comm= -p 1'`, wantErr: "fatal library error, lookup self", wantStatus: 1},
		{rule: "procps looks itself up in the /proc it reads: its own PID, 101, names a process there (unshare)",
			script: `unshare -Urpf sh -c 'i=1; while [ $i -lt 100 ]; do /bin/true; i=$((i+1)); done; ps -o comm= -p 1,101'`, wantOut: "init\nunshare\n"},
		{rule: "after the init terminates, a subsequent fork into this PID namespace fails with ENOMEM",
			script: `unshare -p sh -c '/bin/true; /bin/true; echo unreachable'`, wantErr: "sh: 1: Cannot fork", wantStatus: 2},
		{rule: "copy_pid_ns: a second CLONE_NEWPID before the first namespace has its init fails with EINVAL",
			script: `unshare -p unshare -p true`, wantErr: "unshare: unshare failed: Invalid argument", wantStatus: 1},
		{rule: "If the init process of a PID namespace terminates, the kernel terminates all of the processes in the namespace via a SIGKILL signal",
			script: `unshare -pf sh -c 'sleep 100 & sleep 100 & exit 0'; ps -e -o comm= | grep -c sleep`, wantOut: "0\n", wantStatus: 1},
		{rule: "an orphaned child is reparented to the init process of the PID namespace",
			script: `unshare -pf --mount-proc sh -c 'sh -c "sleep 5 &"; ps -o ppid=,comm= | grep sleep'`, wantOut: "      1 sleep\n"},
		{rule: "Only signals for which the init process has established a signal handler can be sent to it by other members of the namespace",
			script: `unshare -pf sh -c 'kill -KILL 1; echo alive'`, wantOut: "alive\n"},
		{rule: "processes in an ancestor namespace can send SIGKILL to the init process, which is forcibly delivered",
			script: `unshare -pf sleep 100 & sleep 0.1; kill -KILL $(ps -e -o pid=,comm= | grep sleep | cut -c1-7); wait $!; echo $?`, wantOut: "137\n", wantErr: "Killed\n"},
		{rule: "NSpid shows the PID in each namespace from the proc mount's down to the process's own",
			script: `unshare -pf --mount-proc sh -c 'unshare -pf grep NSpid /proc/self/status'`, wantOut: "NSpid:\t3\t1\n"},
	})
}

func TestPIDNamespaceNestingLimit(t *testing.T) {
	// "the kernel limits the maximum nesting depth for PID namespaces to
	// 32"; the lab host's own is the first level.
	l := labForTest(t)
	k := l.k
	ns := k.lab.pid
	var err error
	for ns.level < 40 {
		var next *PIDNamespace
		if next, err = k.newPIDNamespace(ns, k.lab.user); err != nil {
			break
		}
		ns = next
	}
	if err != ENOSPC || ns.level != maxPIDNSLevel {
		t.Errorf("nesting stopped at level %d with %v, want %d with ENOSPC", ns.level, err, maxPIDNSLevel)
	}
}

func TestMountNamespaceRules(t *testing.T) {
	runScriptCases(t, []scriptCase{
		{rule: "a new mount namespace's mount list is a copy; later mounts in it are not seen outside",
			script:  `unshare -m sh -c 'mount -t tmpfs x /mnt; findmnt -n -o TARGET /mnt'; findmnt /mnt; echo $?`,
			wantOut: "/mnt\n1\n"},
		{rule: "unshare(1) makes every mount private by default",
			script: `unshare -m findmnt -n -o PROPAGATION /proc`, wantOut: "private\n"},
		{rule: "peers: a mount under a shared mount propagates to its peer in another namespace",
			script:  `mkdir /tmp/p; unshare -m --propagation unchanged sh -c 'sleep 1; findmnt -n -o SOURCE /tmp/p' & sleep 0.5; mount -t tmpfs peer /tmp/p; wait`,
			wantOut: "peer\n"},
		{rule: "a less privileged mount namespace gets shared mounts as slaves",
			script: `unshare -Um --propagation unchanged findmnt -n -o PROPAGATION /proc`, wantOut: "private,slave\n"},
		{rule: "A slave mount receives propagation events from its master, but does not propagate events to it",
			script:  `mkdir /tmp/a /tmp/b; unshare -m --propagation slave sh -c 'mount -t tmpfs s /tmp/b; sleep 1; findmnt -n -o SOURCE /tmp/a' & sleep 0.5; mount -t tmpfs m /tmp/a; findmnt /tmp/b; echo $?; wait`,
			wantOut: "1\nm\n"},
		{rule: "a bind mount of an unbindable mount fails with EINVAL",
			script:  `unshare -m sh -c 'mount -t tmpfs x /mnt; mount --make-unbindable /mnt; mount --bind /mnt /home'`,
			wantErr: "mount: /home: wrong fs type, bad option, bad superblock on /mnt,", wantStatus: 32},
		{rule: "mounts that come as a single unit from a more privileged mount namespace are locked together (umount EINVAL)",
			script: `unshare -Urm umount /proc`, wantErr: "umount: /proc: not mounted.", wantStatus: 32},
		{rule: "umount(2): EBUSY target could not be unmounted because it is busy",
			script:  `unshare -m sh -c 'mkdir /tmp/d; mount -t tmpfs x /tmp/d; cd /tmp/d; umount /tmp/d'`,
			wantErr: "umount: /tmp/d: target is busy.", wantStatus: 32},
		{rule: "proc shows the PID namespace of the process that mounted it",
			script: `unshare -pf --mount-proc ps -e -o pid=,comm=`, wantOut: "      1 ps\n"},
		{rule: "mount needs CAP_SYS_ADMIN in the user namespace owning the mount namespace",
			script: `unshare -r mount -t tmpfs x /mnt`, wantErr: "mount: /mnt: permission denied.", wantStatus: 32},
	})
}

func TestOtherNamespaceRules(t *testing.T) {
	runScriptCases(t, []scriptCase{
		{rule: "UTS: a new namespace starts with a copy of the host name; changes stay in it",
			script: `unshare -u sh -c 'hostname inner; hostname'; hostname`, wantOut: "inner\nlab\n"},
		{rule: "sethostname needs CAP_SYS_ADMIN in the user namespace owning the UTS namespace",
			script: `unshare -r hostname x`, wantErr: "hostname: you must be root to change the host name", wantStatus: 1},
		{rule: "IPC: System V objects are visible only in their own IPC namespace",
			script: `ipcmk -Q >/dev/null; unshare -i ipcs -q | grep -c 0x; ipcs -q | grep -c 0x`, wantOut: "0\n1\n"},
		{rule: "network: a new network namespace has only a loopback device, which is down",
			script: `unshare -n ip -br link`, wantOut: "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n"},
		{rule: "cgroup: the caller's cgroup becomes the root of a new cgroup namespace",
			script: `unshare -C tail -n 1 /proc/self/cgroup`, wantOut: "0::/\n"},
		{rule: "time: children of the caller enter the new time namespace with its offsets",
			script: `unshare -rT --boottime 100 sh -c 'grep boottime /proc/self/timens_offsets'`, wantOut: "boottime          100         0\n"},
		{rule: "setns(2) into a user namespace the caller is already in fails with EINVAL",
			script: `nsenter -t 1 -U true`, wantErr: "reassociate to namespace 'ns/user' failed: Invalid argument", wantStatus: 1},
	})
}
