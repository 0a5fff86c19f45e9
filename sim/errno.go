package sim

// Errno is a system call failure, numbered and worded as Linux numbers and
// words it (errno(3), strerror(3)), so that the simulated userland prints
// what the real tools print.
type Errno int

// The errno values the simulated kernel returns.
const (
	EPERM     Errno = 1
	ENOENT    Errno = 2
	ESRCH     Errno = 3
	EINTR     Errno = 4
	EIO       Errno = 5
	EBADF     Errno = 9
	ECHILD    Errno = 10
	EAGAIN    Errno = 11
	ENOMEM    Errno = 12
	EACCES    Errno = 13
	EBUSY     Errno = 16
	EEXIST    Errno = 17
	EXDEV     Errno = 18
	ENODEV    Errno = 19
	ENOTDIR   Errno = 20
	EISDIR    Errno = 21
	EINVAL    Errno = 22
	ENOSPC    Errno = 28
	EROFS     Errno = 30
	ERANGE    Errno = 34
	ENOSYS    Errno = 38
	ENOTEMPTY Errno = 39
	ELOOP     Errno = 40
	EUSERS    Errno = 87
)

var errnoText = map[Errno]string{
	EPERM:     "Operation not permitted",
	ENOENT:    "No such file or directory",
	ESRCH:     "No such process",
	EINTR:     "Interrupted system call",
	EBADF:     "Bad file descriptor",
	ECHILD:    "No child processes",
	EAGAIN:    "Resource temporarily unavailable",
	ENOMEM:    "Cannot allocate memory",
	EACCES:    "Permission denied",
	EBUSY:     "Device or resource busy",
	EEXIST:    "File exists",
	EXDEV:     "Invalid cross-device link",
	ENODEV:    "No such device",
	ENOTDIR:   "Not a directory",
	EISDIR:    "Is a directory",
	EINVAL:    "Invalid argument",
	ENOSPC:    "No space left on device",
	EIO:       "Input/output error",
	EROFS:     "Read-only file system",
	ERANGE:    "Numerical result out of range",
	ENOSYS:    "Function not implemented",
	ENOTEMPTY: "Directory not empty",
	ELOOP:     "Too many levels of symbolic links",
	EUSERS:    "Too many users",
}

// Error returns strerror's text for e.
func (e Errno) Error() string {
	if s, ok := errnoText[e]; ok {
		return s
	}
	return "Unknown error " + itoa(int(e))
}
