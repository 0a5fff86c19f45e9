package sim

// hostnamectlProgram is systemd 252's hostnamectl as it behaves in a lab,
// whose PID 1 is not systemd: every command it would send over D-Bus fails
// before its verb is even looked at. Its help and version print.
func hostnamectlProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'h': 0, 'H': 1, 'M': 1, 'j': 0},
		long: map[string]longOpt{"help": {'h', 0}, "version": {200, 0}, "no-ask-password": {201, 0}, "host": {'H', 1},
			"machine": {'M', 1}, "transient": {202, 0}, "static": {203, 0}, "pretty": {204, 0}, "json": {205, 1}},
	}
	opts, _, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		p.Errorf("hostnamectl: %s\n", msg)
		return 1
	}
	for _, o := range opts {
		switch o.code {
		case 'h':
			p.Printf("%s", hostnamectlHelp)
			return 0
		case 200:
			p.Printf("%s", hostnamectlVersion)
			return 0
		}
	}
	p.Errorf("System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n")
	return 1
}

const hostnamectlHelp = `hostnamectl [OPTIONS...] COMMAND ...

Query or change system hostname.

Commands:
  status                 Show current hostname settings
  hostname [NAME]        Get/set system hostname
  icon-name [NAME]       Get/set icon name for host
  chassis [NAME]         Get/set chassis type for host
  deployment [NAME]      Get/set deployment environment for host
  location [NAME]        Get/set location for host

Options:
  -h --help              Show this help
     --version           Show package version
     --no-ask-password   Do not prompt for password
  -H --host=[USER@]HOST  Operate on remote host
  -M --machine=CONTAINER Operate on local container
     --transient         Only set transient hostname
     --static            Only set static hostname
     --pretty            Only set pretty hostname
     --json=pretty|short|off
                         Generate JSON output

See the hostnamectl(1) man page for details.
`

const hostnamectlVersion = `systemd 252 (252.39-1~deb12u2)
+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified
`
