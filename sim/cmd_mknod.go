package sim

import (
	"strconv"
	"strings"
)

// mknodProgram is mknod of GNU coreutils 9.1 for character and block
// devices (types c, u and b), with -m MODE. A lab's root has no
// CAP_MKNOD in the machine's user namespace, so the kernel refuses it
// with EPERM once the name checks pass. FIFOs (type p) are not simulated:
// mknod rejects the type as it rejects an unknown one.
func mknodProgram(p *Proc) int {
	spec := optSpec{short: map[byte]int{'m': 1}, long: map[string]longOpt{"mode": {'m', 1}}}
	opts, operands, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "mknod", msg)
	}
	mode := uint32(0o666) &^ chmodUmask
	for _, o := range opts {
		change := compileMode(o.value)
		if change == nil {
			p.Errorf("mknod: invalid mode\n")
			return 1
		}
		mode, _ = adjustMode(0o666, false, 0, change)
		if mode&^0o777 != 0 {
			p.Errorf("mknod: mode must specify only file permission bits\n")
			return 1
		}
	}
	// Two operands for a FIFO (a type starting with p), four otherwise.
	expected := 4
	if len(operands) <= 1 || operands[1] != "" && operands[1][0] == 'p' {
		expected = 2
	}
	if len(operands) < expected {
		if len(operands) == 0 {
			p.Errorf("mknod: missing operand\n")
		} else {
			p.Errorf("mknod: missing operand after ‘%s’\n", operands[len(operands)-1])
		}
		if expected == 4 && len(operands) == 2 {
			p.Errorf("Special files require major and minor device numbers.\n")
		}
		p.Errorf("Try 'mknod --help' for more information.\n")
		return 1
	}
	if len(operands) > expected {
		p.Errorf("mknod: extra operand ‘%s’\n", operands[expected])
		if expected == 2 && len(operands) == 4 {
			p.Errorf("Fifos do not have major and minor device numbers.\n")
		}
		p.Errorf("Try 'mknod --help' for more information.\n")
		return 1
	}
	name, typ := operands[0], operands[1]
	// Only the first character counts ("mknod /dev/rst0 character 18 0").
	switch typ[0] {
	case 'b', 'c', 'u':
	default:
		p.Errorf("mknod: invalid device type ‘%s’\nTry 'mknod --help' for more information.\n", typ)
		return 1
	}
	major, err := parseDevNumber(operands[2])
	if err != nil {
		p.Errorf("mknod: invalid major device number ‘%s’\n", operands[2])
		return 1
	}
	minor, err := parseDevNumber(operands[3])
	if err != nil {
		p.Errorf("mknod: invalid minor device number ‘%s’\n", operands[3])
		return 1
	}
	if err := p.K.Mknod(p.T, name, typ[0] == 'b', mode, int(major), int(minor)); err != nil {
		p.Errorf("mknod: %s: %s\n", name, err.Error())
		return 1
	}
	return 0
}

// parseDevNumber reads a device number as strtoumax with base 0 does:
// decimal, 0 octal or 0x hexadecimal.
func parseDevNumber(s string) (uint64, error) {
	for _, bad := range []string{"_", "0b", "0B", "0o", "0O"} {
		if strings.Contains(s, bad) {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseUint(s, 0, 32)
}
