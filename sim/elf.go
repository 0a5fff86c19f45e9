package sim

import (
	"path"
	"strings"
)

// This file is dynamic linking: the lab host's programs are ELF
// executables that need their interpreter, ld.so, and their shared
// libraries, found in the root of the process that runs them. A program
// copied into a hand-made root (the containers-from-scratch tutorials)
// runs there only once ld.so and its libraries are copied too, and ldd
// lists what to copy.

// An elfImage is one ELF file of the lab host's Debian 12: its size in
// bytes and what ldd lists for it, in ld.so's load order: linux-vdso.so.1,
// sonames looked up in the library path, absolute paths (the
// interpreter), or "statically" for ld.so itself.
type elfImage struct {
	size int
	ldd  string
	// runpath is the object's DT_RUNPATH, searched before the default
	// library path.
	runpath string
}

// An elfLibrary is a shared library in the lab host's /usr: its soname
// (name) in dir, a link to file when file is set (Debian's
// libtinfo.so.6 -> libtinfo.so.6.4), else the file itself.
type elfLibrary struct {
	dir, name, file string
	perm            uint32
	elfImage
}

// elfInterpreter is the PT_INTERP of every executable of the table, which
// execve(2) opens in the new program's root.
const elfInterpreter = "/lib64/ld-linux-x86-64.so.2"

// elfLibraryPath is ld.so's search path for a root without
// /etc/ld.so.cache: the trusted directories of x86_64 Debian, the order
// the cache also lists them.
var elfLibraryPath = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib"}

// elfBytes is what an ELF file of size bytes holds in the simulation: the
// ELF identification (64-bit, little-endian, version 1) and zeros. Every
// such file shares one read-only buffer (the host's /usr is mounted
// read-only); a copy (cp) gets bytes of its own.
func elfBytes(size int) []byte {
	if len(elfBuffer) < size {
		b := make([]byte, size)
		copy(b, "\x7fELF\x02\x01\x01")
		elfBuffer = b
	}
	return elfBuffer[:size:size]
}

var elfBuffer []byte

// addELFImages gives the host's programs their size and ELF image and
// puts their shared libraries and the interpreter in /usr/lib and
// /usr/lib64.
func (k *Kernel) addELFImages(sb *superblock) {
	for name := range k.programs {
		img, ok := elfPrograms[name]
		if !ok {
			continue
		}
		dir := "usr/bin"
		if sbinPrograms[name] {
			dir = "usr/sbin"
		}
		if n := sb.lookupPath(dir, name); n != nil {
			n.data, n.elf = elfBytes(img.size), &img
		}
	}
	for i := range elfLibraries {
		l := &elfLibraries[i]
		file := l.name
		if l.file != "" {
			file = l.file
			sb.addSymlink(l.dir+"/"+l.name, l.file)
		}
		n := sb.addFile(l.dir+"/"+file, l.perm, "")
		n.data, n.elf = elfBytes(l.size), &l.elfImage
	}
	sb.addSymlink("usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
}

// lookupPath is the inode at dir/name of sb, nil when there is none.
func (sb *superblock) lookupPath(dir, name string) *inode {
	n := sb.root
	for _, part := range strings.Split(dir, "/") {
		if part == "" {
			continue
		}
		if n = n.children[part]; n == nil {
			return nil
		}
	}
	return n.children[name]
}

// elfNeeded are the libraries img lists that ld.so looks up (not the
// vDSO nor the interpreter).
func (img *elfImage) needed() []string {
	var libs []string
	for _, f := range strings.Fields(img.ldd) {
		if f != "linux-vdso.so.1" && f != "statically" && !strings.Contains(f, "/") {
			libs = append(libs, f)
		}
	}
	return libs
}

// findLibrary is where ld.so, running in t's root, finds the library
// soname for img: img's run path, then the default library path; "" when
// it finds none.
func (k *Kernel) findLibrary(t *Task, img *elfImage, soname string) string {
	dirs := elfLibraryPath
	if img.runpath != "" {
		dirs = append([]string{img.runpath}, dirs...)
	}
	for _, d := range dirs {
		p := path.Join(d, soname)
		if r, err := k.lookup(t, p, true); err == nil && !r.node.isDir() {
			return p
		}
	}
	return ""
}

// elfLoad checks what loading the ELF program node in t's root needs:
// execve(2) fails with ENOENT when the interpreter is missing; a missing
// library is ld.so's error after the exec (the soname, "" when all are
// there).
func (k *Kernel) elfLoad(t *Task, node *inode) (missing string, err error) {
	img := node.elf
	if img == nil || img.ldd == "statically" {
		return "", nil
	}
	if r, err := k.lookup(t, elfInterpreter, true); err != nil || r.node.isDir() {
		return "", ENOENT
	}
	for _, lib := range img.needed() {
		if k.findLibrary(t, img, lib) == "" {
			return lib, nil
		}
	}
	return "", nil
}

// elfLoadFailure is what runs instead of a program whose library ld.so
// cannot find: its message, then exit status 127.
func elfLoadFailure(argv0, soname string) Program {
	return func(p *Proc) int {
		p.Errorf("%s: error while loading shared libraries: %s: cannot open shared object file: No such file or directory\n", argv0, soname)
		return 127
	}
}

// Sizes and ldd lists of the programs and libraries of Debian 12
// (bookworm, amd64) the lab host has, as stat and ldd show them there.
var elfPrograms = map[string]elfImage{
	"dash":        {size: 125640, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"bash":        {size: 1265648, ldd: "linux-vdso.so.1 libtinfo.so.6 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"unshare":     {size: 84520, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"nsenter":     {size: 35368, ldd: "linux-vdso.so.1 libselinux.so.1 libc.so.6 libpcre2-8.so.0 /lib64/ld-linux-x86-64.so.2"},
	"lsns":        {size: 84288, ldd: "linux-vdso.so.1 libsmartcols.so.1 libmount.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2 libblkid.so.1 libselinux.so.1 libpcre2-8.so.0"},
	"ps":          {size: 146360, ldd: "linux-vdso.so.1 libproc2.so.0 libc.so.6 libsystemd.so.0 /lib64/ld-linux-x86-64.so.2 libcap.so.2 libgcrypt.so.20 liblzma.so.5 libzstd.so.1 liblz4.so.1 libgpg-error.so.0"},
	"pgrep":       {size: 35248, ldd: "linux-vdso.so.1 libproc2.so.0 libc.so.6 libsystemd.so.0 /lib64/ld-linux-x86-64.so.2 libcap.so.2 libgcrypt.so.20 liblzma.so.5 libzstd.so.1 liblz4.so.1 libgpg-error.so.0"},
	"pkill":       {size: 35248, ldd: "linux-vdso.so.1 libproc2.so.0 libc.so.6 libsystemd.so.0 /lib64/ld-linux-x86-64.so.2 libcap.so.2 libgcrypt.so.20 liblzma.so.5 libzstd.so.1 liblz4.so.1 libgpg-error.so.0"},
	"pidof":       {size: 26944, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"id":          {size: 48144, ldd: "linux-vdso.so.1 libselinux.so.1 libc.so.6 libpcre2-8.so.0 /lib64/ld-linux-x86-64.so.2"},
	"whoami":      {size: 39792, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"su":          {size: 72000, ldd: "linux-vdso.so.1 libpam.so.0 libpam_misc.so.0 libc.so.6 libaudit.so.1 /lib64/ld-linux-x86-64.so.2 libcap-ng.so.0"},
	"hostname":    {size: 22680, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"domainname":  {size: 22680, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"uname":       {size: 43888, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"sleep":       {size: 43888, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"timeout":     {size: 48632, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"env":         {size: 48536, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"kill":        {size: 22840, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"cat":         {size: 44016, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"ls":          {size: 151344, ldd: "linux-vdso.so.1 libselinux.so.1 libc.so.6 libpcre2-8.so.0 /lib64/ld-linux-x86-64.so.2"},
	"readlink":    {size: 52112, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"ln":          {size: 72824, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"chmod":       {size: 64496, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"cp":          {size: 151152, ldd: "linux-vdso.so.1 libselinux.so.1 libacl.so.1 libattr.so.1 libc.so.6 libpcre2-8.so.0 /lib64/ld-linux-x86-64.so.2"},
	"mknod":       {size: 72912, ldd: "linux-vdso.so.1 libselinux.so.1 libc.so.6 libpcre2-8.so.0 /lib64/ld-linux-x86-64.so.2"},
	"mkdir":       {size: 97552, ldd: "linux-vdso.so.1 libselinux.so.1 libc.so.6 libpcre2-8.so.0 /lib64/ld-linux-x86-64.so.2"},
	"rmdir":       {size: 56240, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"rm":          {size: 72752, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"touch":       {size: 109616, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"stat":        {size: 97488, ldd: "linux-vdso.so.1 libselinux.so.1 libc.so.6 libpcre2-8.so.0 /lib64/ld-linux-x86-64.so.2"},
	"mount":       {size: 59704, ldd: "linux-vdso.so.1 libmount.so.1 libselinux.so.1 libc.so.6 libblkid.so.1 /lib64/ld-linux-x86-64.so.2 libpcre2-8.so.0"},
	"umount":      {size: 35128, ldd: "linux-vdso.so.1 libmount.so.1 libc.so.6 libblkid.so.1 libselinux.so.1 /lib64/ld-linux-x86-64.so.2 libpcre2-8.so.0"},
	"findmnt":     {size: 85600, ldd: "linux-vdso.so.1 libmount.so.1 libsmartcols.so.1 libblkid.so.1 libudev.so.1 libc.so.6 libselinux.so.1 /lib64/ld-linux-x86-64.so.2 libpcre2-8.so.0"},
	"uptime":      {size: 14648, ldd: "linux-vdso.so.1 libproc2.so.0 libc.so.6 libsystemd.so.0 /lib64/ld-linux-x86-64.so.2 libcap.so.2 libgcrypt.so.20 liblzma.so.5 libzstd.so.1 liblz4.so.1 libgpg-error.so.0"},
	"chroot":      {size: 48112, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"ip":          {size: 691016, ldd: "linux-vdso.so.1 libbpf.so.1 libelf.so.1 libmnl.so.0 libbsd.so.0 libcap.so.2 libc.so.6 libz.so.1 /lib64/ld-linux-x86-64.so.2 libmd.so.0"},
	"ping":        {size: 90568, ldd: "linux-vdso.so.1 libcap.so.2 libidn2.so.0 libc.so.6 libunistring.so.2 /lib64/ld-linux-x86-64.so.2"},
	"ipcmk":       {size: 35200, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"ipcs":        {size: 76096, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"ipcrm":       {size: 35136, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"grep":        {size: 203152, ldd: "linux-vdso.so.1 libpcre2-8.so.0 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"sed":         {size: 126424, ldd: "linux-vdso.so.1 libacl.so.1 libselinux.so.1 libc.so.6 libpcre2-8.so.0 /lib64/ld-linux-x86-64.so.2"},
	"awk":         {size: 158376, ldd: "linux-vdso.so.1 libm.so.6 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"wc":          {size: 52280, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"head":        {size: 48080, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"tail":        {size: 76944, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"cut":         {size: 48112, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"sort":        {size: 118456, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"tr":          {size: 56208, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"tee":         {size: 43984, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"seq":         {size: 60336, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"yes":         {size: 39760, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"basename":    {size: 43856, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"dirname":     {size: 39760, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"echo":        {size: 43856, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"true":        {size: 35664, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"false":       {size: 35664, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"test":        {size: 60304, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"printf":      {size: 64432, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"pwd":         {size: 43952, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
	"hostnamectl": {size: 31104, ldd: "linux-vdso.so.1 libsystemd-shared-252.so libc.so.6 libacl.so.1 libblkid.so.1 libcap.so.2 libcrypt.so.1 libgcrypt.so.20 libip4tc.so.2 libkmod.so.2 liblz4.so.1 libmount.so.1 libcrypto.so.3 libpam.so.0 libseccomp.so.2 libselinux.so.1 libzstd.so.1 liblzma.so.5 libm.so.6 /lib64/ld-linux-x86-64.so.2 libgpg-error.so.0 libaudit.so.1 libpcre2-8.so.0 libcap-ng.so.0", runpath: "/usr/lib/x86_64-linux-gnu/systemd"},
	"capsh":       {size: 54568, ldd: "linux-vdso.so.1 libcap.so.2 libc.so.6 /lib64/ld-linux-x86-64.so.2"},
}

var elfLibraries = []elfLibrary{
	{dir: "usr/lib/x86_64-linux-gnu", name: "libacl.so.1", file: "libacl.so.1.1.2301", perm: 0o644, elfImage: elfImage{size: 38832, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libattr.so.1", file: "libattr.so.1.1.2501", perm: 0o644, elfImage: elfImage{size: 26544, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libaudit.so.1", file: "libaudit.so.1.0.0", perm: 0o644, elfImage: elfImage{size: 128952, ldd: "linux-vdso.so.1 libcap-ng.so.0 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libblkid.so.1", file: "libblkid.so.1.1.0", perm: 0o644, elfImage: elfImage{size: 355328, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libbpf.so.1", file: "libbpf.so.1.1.2", perm: 0o644, elfImage: elfImage{size: 358880, ldd: "linux-vdso.so.1 libelf.so.1 libz.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libbsd.so.0", file: "libbsd.so.0.11.7", perm: 0o644, elfImage: elfImage{size: 84840, ldd: "linux-vdso.so.1 libmd.so.0 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libc.so.6", file: "", perm: 0o755, elfImage: elfImage{size: 1926232, ldd: "/lib64/ld-linux-x86-64.so.2 linux-vdso.so.1"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libcap-ng.so.0", file: "libcap-ng.so.0.0.0", perm: 0o644, elfImage: elfImage{size: 30704, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libcap.so.2", file: "libcap.so.2.66", perm: 0o644, elfImage: elfImage{size: 47288, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libcrypt.so.1", file: "libcrypt.so.1.1.0", perm: 0o644, elfImage: elfImage{size: 206776, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libcrypto.so.3", file: "", perm: 0o644, elfImage: elfImage{size: 4734232, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libelf.so.1", file: "libelf-0.188.so", perm: 0o644, elfImage: elfImage{size: 109088, ldd: "linux-vdso.so.1 libz.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libgcrypt.so.20", file: "libgcrypt.so.20.4.1", perm: 0o644, elfImage: elfImage{size: 1332480, ldd: "linux-vdso.so.1 libgpg-error.so.0 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libgpg-error.so.0", file: "libgpg-error.so.0.33.1", perm: 0o644, elfImage: elfImage{size: 157768, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libidn2.so.0", file: "libidn2.so.0.3.8", perm: 0o644, elfImage: elfImage{size: 198776, ldd: "linux-vdso.so.1 libunistring.so.2 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libip4tc.so.2", file: "libip4tc.so.2.0.0", perm: 0o644, elfImage: elfImage{size: 35280, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libkmod.so.2", file: "libkmod.so.2.4.0", perm: 0o644, elfImage: elfImage{size: 112696, ldd: "linux-vdso.so.1 libzstd.so.1 liblzma.so.5 libcrypto.so.3 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "liblz4.so.1", file: "liblz4.so.1.9.4", perm: 0o644, elfImage: elfImage{size: 149952, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "liblzma.so.5", file: "liblzma.so.5.4.1", perm: 0o644, elfImage: elfImage{size: 190456, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libm.so.6", file: "", perm: 0o644, elfImage: elfImage{size: 911904, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libmd.so.0", file: "libmd.so.0.0.5", perm: 0o644, elfImage: elfImage{size: 47312, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libmnl.so.0", file: "libmnl.so.0.2.0", perm: 0o644, elfImage: elfImage{size: 26616, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libmount.so.1", file: "libmount.so.1.1.0", perm: 0o644, elfImage: elfImage{size: 404096, ldd: "linux-vdso.so.1 libblkid.so.1 libselinux.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2 libpcre2-8.so.0"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libpam.so.0", file: "libpam.so.0.85.1", perm: 0o644, elfImage: elfImage{size: 67584, ldd: "linux-vdso.so.1 libaudit.so.1 libc.so.6 libcap-ng.so.0 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libpam_misc.so.0", file: "libpam_misc.so.0.82.1", perm: 0o644, elfImage: elfImage{size: 14432, ldd: "linux-vdso.so.1 libpam.so.0 libc.so.6 libaudit.so.1 /lib64/ld-linux-x86-64.so.2 libcap-ng.so.0"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libpcre2-8.so.0", file: "libpcre2-8.so.0.11.2", perm: 0o644, elfImage: elfImage{size: 629384, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libproc2.so.0", file: "libproc2.so.0.0.1", perm: 0o644, elfImage: elfImage{size: 203272, ldd: "linux-vdso.so.1 libsystemd.so.0 libc.so.6 /lib64/ld-linux-x86-64.so.2 libcap.so.2 libgcrypt.so.20 liblzma.so.5 libzstd.so.1 liblz4.so.1 libgpg-error.so.0"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libseccomp.so.2", file: "libseccomp.so.2.5.4", perm: 0o644, elfImage: elfImage{size: 129312, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libselinux.so.1", file: "", perm: 0o644, elfImage: elfImage{size: 174312, ldd: "linux-vdso.so.1 libpcre2-8.so.0 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libsmartcols.so.1", file: "libsmartcols.so.1.1.0", perm: 0o644, elfImage: elfImage{size: 239744, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libsystemd.so.0", file: "libsystemd.so.0.35.0", perm: 0o644, elfImage: elfImage{size: 844736, ldd: "linux-vdso.so.1 libcap.so.2 libgcrypt.so.20 liblzma.so.5 libzstd.so.1 liblz4.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2 libgpg-error.so.0"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libtinfo.so.6", file: "libtinfo.so.6.4", perm: 0o644, elfImage: elfImage{size: 204088, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libudev.so.1", file: "libudev.so.1.7.5", perm: 0o644, elfImage: elfImage{size: 182544, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libunistring.so.2", file: "libunistring.so.2.2.0", perm: 0o644, elfImage: elfImage{size: 1792040, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libz.so.1", file: "libz.so.1.2.13", perm: 0o644, elfImage: elfImage{size: 121280, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "libzstd.so.1", file: "libzstd.so.1.5.4", perm: 0o644, elfImage: elfImage{size: 763816, ldd: "linux-vdso.so.1 libc.so.6 /lib64/ld-linux-x86-64.so.2"}},
	{dir: "usr/lib/x86_64-linux-gnu/systemd", name: "libsystemd-shared-252.so", file: "", perm: 0o644, elfImage: elfImage{size: 3348104, ldd: "linux-vdso.so.1 libacl.so.1 libblkid.so.1 libcap.so.2 libcrypt.so.1 libgcrypt.so.20 libip4tc.so.2 libkmod.so.2 liblz4.so.1 libmount.so.1 libcrypto.so.3 libpam.so.0 libseccomp.so.2 libselinux.so.1 libzstd.so.1 liblzma.so.5 libm.so.6 libc.so.6 /lib64/ld-linux-x86-64.so.2 libgpg-error.so.0 libaudit.so.1 libpcre2-8.so.0 libcap-ng.so.0"}},
	{dir: "usr/lib/x86_64-linux-gnu", name: "ld-linux-x86-64.so.2", perm: 0o755, elfImage: elfImage{size: 215000, ldd: "statically"}},
}
