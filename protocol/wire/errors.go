package wire

import (
	"strconv"
	"syscall"
)

// sentinel is a package error that also answers errors.Is for the errno
// libwayland reports for the same failure, so callers that only know the
// kernel vocabulary (EINVAL, E2BIG, EBADF) can still classify it.
type sentinel struct {
	msg   string
	errno syscall.Errno
	// parent lets a narrower sentinel (ErrNull) also count as a broader one
	// (ErrMalformed): a null where none is allowed is a malformed message.
	parent *sentinel
}

func (s *sentinel) Error() string { return s.msg }

func (s *sentinel) Is(target error) bool {
	if errno, ok := target.(syscall.Errno); ok {
		return s.errno != 0 && errno == s.errno
	}
	return s.parent != nil && target == error(s.parent)
}

// The sentinels. Every error returned by this package wraps exactly one of
// them (usually inside an *ArgError).
var (
	// ErrMalformed: the bytes do not form a valid message (libwayland: EINVAL
	// from wl_connection_demarshal, which the server turns into a fatal
	// client error).
	ErrMalformed error = errMalformed
	// ErrNull: a null string, object or new_id where the signature does not
	// allow null. It also matches ErrMalformed.
	ErrNull error = &sentinel{msg: "wire: null value not allowed", errno: syscall.EINVAL, parent: errMalformed}
	// ErrNoFD: an fd argument but no fd is queued (libwayland: "file
	// descriptor expected", EINVAL).
	ErrNoFD error = &sentinel{msg: "wire: file descriptor expected but none queued", errno: syscall.EINVAL}
	// ErrTooLarge: an outgoing message would exceed MaxMessageSize. E2BIG,
	// the errno a sendmsg of an oversized record would give.
	ErrTooLarge error = &sentinel{msg: "wire: message too large", errno: syscall.E2BIG}
	// ErrTooManyFDs: more than MaxFDsPerMessage fds in one outgoing message.
	ErrTooManyFDs error = &sentinel{msg: "wire: too many file descriptors in one message", errno: syscall.E2BIG}
	// ErrBadFD: a negative fd handed to the encoder.
	ErrBadFD error = &sentinel{msg: "wire: invalid file descriptor", errno: syscall.EBADF}
	// ErrSignature: a signature string contains a character that is not an
	// argument type.
	ErrSignature error = &sentinel{msg: "wire: invalid signature", errno: syscall.EINVAL}
)

var errMalformed = &sentinel{msg: "wire: malformed message", errno: syscall.EINVAL}

// ArgError locates a failure: which argument, of which type, at which body
// offset, and what was wrong. It is allocated only when something failed;
// the success paths of Encoder and Decoder never build one.
type ArgError struct {
	Index  int    // argument index in the message, counting fd arguments; -1 for the header
	Type   byte   // signature letter of the argument (i u f s o n a h), 0 if unknown
	Offset int    // byte offset in the body (Decoder) or message (Encoder)
	What   string // what was wrong, e.g. "string length overruns message"
	Err    error  // one of the package sentinels
}

func (e *ArgError) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, "wire: "...)
	if e.Index >= 0 {
		b = append(b, "argument "...)
		b = strconv.AppendInt(b, int64(e.Index), 10)
		if e.Type != 0 {
			b = append(b, " ("...)
			b = append(b, TypeName(e.Type)...)
			b = append(b, ')')
		}
		b = append(b, " at offset "...)
		b = strconv.AppendInt(b, int64(e.Offset), 10)
		b = append(b, ": "...)
	}
	b = append(b, e.What...)
	if e.Err != nil {
		b = append(b, " ("...)
		b = append(b, e.Err.Error()...)
		b = append(b, ')')
	}
	return string(b)
}

func (e *ArgError) Unwrap() error { return e.Err }

// TypeName names a signature letter as wayland.xml does ("int", "uint",
// "fixed", "string", "object", "new_id", "array", "fd").
func TypeName(t byte) string {
	switch t {
	case 'i':
		return "int"
	case 'u':
		return "uint"
	case 'f':
		return "fixed"
	case 's':
		return "string"
	case 'o':
		return "object"
	case 'n':
		return "new_id"
	case 'a':
		return "array"
	case 'h':
		return "fd"
	}
	return "unknown"
}
