package sim

import (
	"strings"
)

// lddProgram is glibc 2.36's ldd, Debian's shell script: for each FILE
// it asks ld.so (the caller's /lib64/ld-linux-x86-64.so.2) to list the
// shared objects the program loads, each where ld.so finds it in the
// caller's root, at the address it was mapped to.
func lddProgram(p *Proc) int {
	args := p.Args[1:]
	for len(args) > 0 {
		a := args[0]
		switch {
		case strings.HasPrefix("--version", a) && len(a) >= 6:
			p.Printf("ldd (Debian GLIBC 2.36-9+deb12u14) 2.36\nCopyright (C) 2022 Free Software Foundation, Inc.\n" +
				"This is free software; see the source for copying conditions.  There is NO\n" +
				"warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n" +
				"Written by Roland McGrath and Ulrich Drepper.\n")
			return 0
		case strings.HasPrefix("--help", a) && len(a) >= 3:
			p.Printf("Usage: ldd [OPTION]... FILE...\n" +
				"      --help              print this help and exit\n" +
				"      --version           print version information and exit\n" +
				"  -d, --data-relocs       process data relocations\n" +
				"  -r, --function-relocs   process data and function relocations\n" +
				"  -u, --unused            print unused direct dependencies\n" +
				"  -v, --verbose           print all information\n\n" +
				"For bug reporting instructions, please see:\n<http://www.debian.org/Bugs/>.\n")
			return 0
		case a == "-d" || strings.HasPrefix("--data-relocs", a) && len(a) >= 3,
			a == "-r" || strings.HasPrefix("--function-relocs", a) && len(a) >= 3:
			// Relocations are checked for the symbols a library lacks;
			// the host's libraries lack none, so nothing more is printed.
			args = args[1:]
			continue
		case a == "--v" || a == "--ve" || a == "--ver":
			p.Errorf("ldd: option `%s' is ambiguous\n", a)
			return 1
		case a == "--":
			args = args[1:]
		case strings.HasPrefix(a, "-"):
			// -u and -v (ld.so's debugging output) are not simulated:
			// ldd rejects them as it rejects an unknown option.
			p.Errorf("ldd: unrecognized option `%s'\nTry `ldd --help' for more information.\n", a)
			return 1
		}
		break
	}
	if len(args) == 0 {
		p.Errorf("ldd: missing file arguments\nTry `ldd --help' for more information.\n")
		return 1
	}
	if r, err := p.K.lookup(p.T, elfInterpreter, true); err != nil || r.node.isDir() {
		// Without ld.so, Debian's ldd finds no loader that accepts the
		// file.
		p.Errorf("\tnot a dynamic executable\n")
		return 1
	}
	status := 0
	for _, file := range args {
		if len(args) > 1 {
			p.Printf("%s:\n", file)
		}
		if !strings.Contains(file, "/") {
			file = "./" + file
		}
		r, err := p.K.lookup(p.T, file, true)
		switch {
		case err != nil:
			p.Errorf("ldd: %s: %s\n", file, errText(err, ENOENT))
			status = 1
			continue
		case r.node.kind != kindFile:
			p.Errorf("ldd: %s: not regular file\n", file)
			status = 1
			continue
		case !p.K.mayAccess(p.T, r.node, mayRead):
			p.Errorf("ldd: error: you do not have read permission for `%s'\n", file)
			status = 1
			continue
		case r.node.elf == nil:
			p.Errorf("\tnot a dynamic executable\n")
			status = 1
			continue
		}
		p.Printf("%s", lddList(p, r.node.elf))
	}
	return status
}

// lddList is ld.so's list of the objects img loads. The addresses
// change from run to run (address space layout randomisation), as in a
// real lab.
func lddList(p *Proc, img *elfImage) string {
	var b strings.Builder
	seed := uint64(p.K.now) ^ uint64(p.T.PID())<<32
	addr := func() string {
		seed = seed*6364136223846793005 + 1442695040888963407
		return sprintf("(0x00007f%07x000)", (seed>>33)&0xfffffff)
	}
	for _, f := range strings.Fields(img.ldd) {
		switch {
		case f == "statically":
			b.WriteString("\tstatically linked\n")
		case f == "linux-vdso.so.1" || strings.Contains(f, "/"):
			b.WriteString("\t" + f + " " + addr() + "\n")
		default:
			where := p.K.findLibrary(p.T, img, f)
			if where == "" {
				b.WriteString("\t" + f + " => not found\n")
				continue
			}
			b.WriteString("\t" + f + " => " + where + " " + addr() + "\n")
		}
	}
	return b.String()
}
