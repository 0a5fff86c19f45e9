package sim

import (
	"strconv"
	"strings"
)

// This file is capsh of libcap2-bin 2.66 for the questions people ask it
// about the caller: --print, --current, --decode, --supports and the --has
// tests, and -- to run bash. The options that change capabilities, IDs or
// securebits are not simulated: capsh prints its usage for them, as for
// an unknown option.

// capNames are the capability names by number, up to CAP_LAST_CAP.
var capNames = []string{"cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner", "cap_fsetid",
	"cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable", "cap_net_bind_service",
	"cap_net_broadcast", "cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner", "cap_sys_module",
	"cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace", "cap_sys_pacct", "cap_sys_admin", "cap_sys_boot",
	"cap_sys_nice", "cap_sys_resource", "cap_sys_time", "cap_sys_tty_config", "cap_mknod", "cap_lease",
	"cap_audit_write", "cap_audit_control", "cap_setfcap", "cap_mac_override", "cap_mac_admin", "cap_syslog",
	"cap_wake_alarm", "cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf", "cap_checkpoint_restore"}

// labNoNewPrivs: the live engine sets no_new_privs on the lab's init
// (nsengine's setNoNewPrivs), and every process of the lab inherits it.
const labNoNewPrivs = true

// capName is libcap's cap_to_name: the name, or the number.
func capName(n int) string {
	if n < len(capNames) {
		return capNames[n]
	}
	return strconv.Itoa(n)
}

// capByName is cap_from_name.
func capByName(s string) (int, bool) {
	for i, n := range capNames {
		if n == strings.ToLower(s) {
			return i, true
		}
	}
	return 0, false
}

// capText is libcap's cap_to_text for the effective, inheritable and
// permitted sets: the commonest combination first ("=ep"), then the
// capabilities that differ from it.
func capText(eff, inh, prm CapSet) string {
	const fe, fi, fp = 1, 4, 2
	state := func(n int) int {
		s := 0
		if eff.Has(Capability(n)) {
			s |= fe
		}
		if inh.Has(Capability(n)) {
			s |= fi
		}
		if prm.Has(Capability(n)) {
			s |= fp
		}
		return s
	}
	flags := func(s int) string {
		out := ""
		if s&fe != 0 {
			out += "e"
		}
		if s&fi != 0 {
			out += "i"
		}
		if s&fp != 0 {
			out += "p"
		}
		return out
	}
	var histo [8]int
	for n := 0; n <= capLastCap; n++ {
		histo[state(n)]++
	}
	m := 7
	for t := 6; t >= 0; t-- {
		if histo[t] >= histo[m] {
			m = t
		}
	}
	out := "=" + flags(m)
	for t := 7; t >= 0; t-- {
		if t == m || histo[t] == 0 {
			continue
		}
		var names []string
		for n := 0; n <= capLastCap; n++ {
			if state(n) == t {
				names = append(names, capName(n))
			}
		}
		part := " " + strings.Join(names, ",")
		if add := t &^ m; add != 0 {
			op := "+"
			if m == 0 {
				op = "="
			}
			part += op + flags(add)
		}
		if drop := m &^ t; drop != 0 {
			part += "-" + flags(drop)
		}
		out += part
	}
	return out
}

// capList names the capabilities of a set, comma-separated.
func capList(s CapSet) string {
	var names []string
	for n := 0; n <= capLastCap; n++ {
		if s.Has(Capability(n)) {
			names = append(names, capName(n))
		}
	}
	return strings.Join(names, ",")
}

// capIAB is cap_iab_to_text: per capability, ! when dropped from the
// bounding set, ^ when ambient, % when inheritable only.
func capIAB(c *Credentials) string {
	var parts []string
	for n := 0; n <= capLastCap; n++ {
		cp := Capability(n)
		prefix := ""
		if !c.Bounding.Has(cp) {
			prefix += "!"
		}
		switch {
		case c.Ambient.Has(cp):
			prefix += "^"
		case c.Inheritable.Has(cp):
			prefix += "%"
		}
		if prefix != "" {
			parts = append(parts, prefix+capName(n))
		}
	}
	return strings.Join(parts, ",")
}

// capshProgram is capsh.
func capshProgram(p *Proc) int {
	c := p.T.creds
	args := p.Args[1:]
	for i, a := range args {
		name, val, _ := strings.Cut(a, "=")
		switch {
		case a == "--":
			argv := append([]string{"/bin/bash"}, args[i+1:]...)
			// execve returns only when it fails.
			if file, node, err := p.K.findExecutable(p.T, "/bin/bash"); err == nil {
				p.K.execve(p.T, file, node, argv)
			}
			p.Errorf("execve /bin/bash failed!\n")
			return 1
		case a == "--print":
			capshPrint(p, c)
		case a == "--current":
			p.Printf("Current: %s\nCurrent IAB: %s\n", capText(c.Effective, c.Inheritable, c.Permitted), capIAB(c))
		case name == "--decode" && strings.Contains(a, "="):
			v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(val, "0x"), "0X"), 16, 64)
			if err != nil {
				v = 0
			}
			var names []string
			for n := 0; n < 64 && v>>uint(n) != 0; n++ {
				if v&(1<<uint(n)) != 0 {
					names = append(names, capName(n))
				}
			}
			p.Printf("0x%016x=%s\n", v, strings.Join(names, ","))
		case (name == "--supports" || name == "--has-p" || name == "--has-i" || name == "--has-a" || name == "--has-b") && strings.Contains(a, "="):
			n, ok := capByName(val)
			if !ok {
				p.Errorf("cap[%s] not recognized by library\n", val)
				return 1
			}
			set, what := fullCapSet, ""
			switch name {
			case "--has-p":
				set, what = c.Permitted, "not permitted"
			case "--has-i":
				set, what = c.Inheritable, "not inheritable"
			case "--has-a":
				set, what = c.Ambient, "not in ambient vector"
			case "--has-b":
				set, what = c.Bounding, "not in bounding vector"
			}
			if !set.Has(Capability(n)) {
				p.Errorf("cap[%s] %s\n", val, what)
				return 1
			}
		case a == "--has-no-new-privs":
			if !labNoNewPrivs {
				p.Errorf("no-new-privs not set\n")
				return 1
			}
		case a == "--help" || a == "-h":
			p.Printf("%s", capshUsage)
			return 0
		default:
			p.Printf("%s", capshUsage)
			return 1
		}
	}
	return 0
}

// capshPrint is --print.
func capshPrint(p *Proc, c *Credentials) {
	nnp := 0
	if labNoNewPrivs {
		nnp = 1
	}
	ns := c.UserNS
	uid, euid := ns.MungedUID(c.RealUID), ns.MungedUID(c.EUID)
	gid := ns.MungedGID(c.RealGID)
	var groups []string
	for _, g := range c.Groups {
		gg := ns.MungedGID(g)
		groups = append(groups, sprintf("%d(%s)", gg, groupName(p.K, p.T, gg)))
	}
	p.Printf("Current: %s\n", capText(c.Effective, c.Inheritable, c.Permitted))
	p.Printf("Bounding set =%s\n", capList(c.Bounding))
	p.Printf("Ambient set =%s\n", capList(c.Ambient))
	p.Printf("Current IAB: %s\n", capIAB(c))
	p.Printf("Securebits: 00/0x0/1'b0 (no-new-privs=%d)\n", nnp)
	p.Printf(" secure-noroot: no (unlocked)\n secure-no-suid-fixup: no (unlocked)\n secure-keep-caps: no (unlocked)\n secure-no-ambient-raise: no (unlocked)\n")
	p.Printf("uid=%d(%s) euid=%d(%s)\n", uid, userName(p.K, p.T, uid), euid, userName(p.K, p.T, euid))
	p.Printf("gid=%d(%s)\n", gid, groupName(p.K, p.T, gid))
	p.Printf("groups=%s\n", strings.Join(groups, ","))
	p.Printf("Guessed mode: HYBRID (4)\n")
}

const capshUsage = `usage: capsh [args ...]
  --addamb=xxx   add xxx,... capabilities to ambient set
  --cap-uid=<n>  use libcap cap_setuid() to change uid
  --caps=xxx     set caps as per cap_from_text()
  --chroot=path  chroot(2) to this path
  --current      show current caps and IAB vectors
  --decode=xxx   decode a hex string to a list of caps
  --delamb=xxx   remove xxx,... capabilities from ambient
  --drop=xxx     drop xxx,... caps from bounding set
  --explain=xxx  explain what capability xxx permits
  --forkfor=<n>  fork and make child sleep for <n> sec
  --gid=<n>      set gid to <n> (hint: id <username>)
  --groups=g,... set the supplemental groups
  --has-a=xxx    exit 1 if capability xxx not ambient
  --has-b=xxx    exit 1 if capability xxx not dropped
  --has-ambient  exit 1 unless ambient vector supported
  --has-i=xxx    exit 1 if capability xxx not inheritable
  --has-p=xxx    exit 1 if capability xxx not permitted
  --has-no-new-privs  exit 1 if privs not limited
  --help, -h     this message (or try 'man capsh')
  --iab=...      use cap_iab_from_text() to set iab
  --inh=xxx      set xxx,.. inheritable set
  --inmode=<xxx> exit 1 if current mode is not <xxx>
  --is-uid=<n>   exit 1 if uid != <n>
  --is-gid=<n>   exit 1 if gid != <n>
  --keep=<n>     set keep-capability bit to <n>
  --killit=<n>   send signal(n) to child
  --license      display license info
  --mode         display current libcap mode
  --mode=<xxx>   set libcap mode to <xxx>
  --modes        list libcap named modes
  --no-new-privs set sticky process privilege limiter
  --noamb        reset (drop) all ambient capabilities
  --noenv        no fixup of env vars (for --user)
  --print        display capability relevant state
  --quiet        if first argument skip max cap check
  --secbits=<n>  write a new value for securebits
  --shell=/xx/yy use /xx/yy instead of /bin/bash for --
  --strict       toggle --caps, --drop and --inh fixups
  --suggest=text search cap descriptions for text
  --supports=xxx exit 1 if capability xxx unsupported
  --uid=<n>      set uid to <n> (hint: id <username>)
  --user=<name>  set uid,gid and groups to that of user
  ==             re-exec(capsh) with args as for --
  =+             cap_launch capsh with args as for -+
  --             remaining arguments are for /bin/bash
  -+             cap_launch /bin/bash with remaining args
                 (without -- [capsh] will simply exit(0))
`

// capsh is installed in /usr/sbin.
func init() { sbinPrograms["capsh"] = true }
