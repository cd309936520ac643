package wire

import "strings"

// Encoder appends one message at a time to a caller-owned byte slice and
// records fd arguments in a caller-owned int slice. Once both slices have
// capacity it does not allocate. The zero value is ready; reuse it for
// every message.
//
// Argument methods do not return errors: the first failure is kept and
// reported by Finish, so the generated event methods stay straight-line
// code. After a failure the remaining argument calls do nothing.
type Encoder struct {
	buf     []byte
	fds     []int
	start   int // offset of this message's header in buf
	fdStart int // len(fds) at Begin
	object  uint32
	opcode  uint16
	arg     int // index of the next argument, fds included
	err     *ArgError
	begun   bool // Begin was called; arguments before it have no header to follow
}

// Begin starts a message for object and opcode, appended to dst (which may
// already hold earlier messages of a batch); its fd arguments are appended
// to fds.
func (e *Encoder) Begin(dst []byte, fds []int, object uint32, opcode uint16) {
	e.start = len(dst)
	e.fdStart = len(fds)
	e.buf = append(dst, 0, 0, 0, 0, 0, 0, 0, 0)
	e.fds = fds
	e.object = object
	e.opcode = opcode
	e.arg = 0
	e.err = nil
	e.begun = true
}

// Len is the size of the message so far, header included.
func (e *Encoder) Len() int { return len(e.buf) - e.start }

// room reports whether n more body bytes fit under MaxMessageSize, recording
// ErrTooLarge otherwise. Checking before appending means an oversized
// string or array never grows the caller's buffer.
func (e *Encoder) room(t byte, n int) bool {
	if !e.usable(t) {
		return false
	}
	if n < 0 || n > MaxMessageSize-e.Len() {
		e.fail(t, "message would exceed the 4096-byte limit", ErrTooLarge)
		return false
	}
	return true
}

// usable reports whether an argument may be added, recording the misuse of
// adding one before Begin so that Finish reports it instead of panicking.
func (e *Encoder) usable(t byte) bool {
	if e.err != nil {
		return false
	}
	if !e.begun {
		e.fail(t, "argument before Begin", ErrMalformed)
		return false
	}
	return true
}

func (e *Encoder) fail(t byte, what string, err error) {
	e.err = &ArgError{Index: e.arg, Type: t, Offset: e.Len(), What: what, Err: err}
}

func (e *Encoder) u32(t byte, v uint32) {
	if !e.room(t, 4) {
		return
	}
	e.buf = order.AppendUint32(e.buf, v)
	e.arg++
}

// Int appends an int argument.
func (e *Encoder) Int(v int32) { e.u32('i', uint32(v)) }

// Uint appends a uint argument.
func (e *Encoder) Uint(v uint32) { e.u32('u', v) }

// Fixed appends a fixed argument.
func (e *Encoder) Fixed(v Fixed) { e.u32('f', uint32(v)) }

// Object appends an object argument; 0 is the null object, which only a
// nullable ("?o") argument may carry.
func (e *Encoder) Object(id uint32) { e.u32('o', id) }

// NewID appends a typed new_id argument.
func (e *Encoder) NewID(id uint32) { e.u32('n', id) }

// String appends a non-null string: length including the NUL, bytes, NUL,
// zero padding to 4. The empty string is length 1, distinct from null. A
// string holding a NUL is refused: the C peer would silently cut it there.
func (e *Encoder) String(s string) {
	if !e.usable('s') {
		return
	}
	if strings.IndexByte(s, 0) >= 0 {
		e.fail('s', "string contains a NUL byte", ErrMalformed)
		return
	}
	if !e.room('s', 4+pad4(len(s)+1)) {
		return
	}
	n := len(s) + 1
	e.buf = order.AppendUint32(e.buf, uint32(n))
	e.buf = append(e.buf, s...)
	e.buf = appendZeros(e.buf, pad4(n)-len(s))
	e.arg++
}

// NullString appends a null string (length 0), for "?s" arguments.
func (e *Encoder) NullString() { e.u32('s', 0) }

// NullableString appends s if ok, else a null string.
func (e *Encoder) NullableString(s string, ok bool) {
	if ok {
		e.String(s)
	} else {
		e.NullString()
	}
}

// UntypedNewID appends the new_id form whose interface is chosen at run
// time (wl_registry.bind): interface name, version, then id. It counts as
// three arguments, as in libwayland's expanded "sun" signature.
func (e *Encoder) UntypedNewID(iface string, version, id uint32) {
	e.String(iface)
	e.Uint(version)
	e.NewID(id)
}

// Array appends an array: byte length, data, zero padding to 4. An empty
// (or nil) array is length 0.
func (e *Encoder) Array(b []byte) {
	if !e.room('a', 4+pad4(len(b))) {
		return
	}
	e.buf = order.AppendUint32(e.buf, uint32(len(b)))
	e.buf = append(e.buf, b...)
	e.buf = appendZeros(e.buf, pad4(len(b))-len(b))
	e.arg++
}

// FD records an fd argument. It adds nothing to the body: fds travel as
// SCM_RIGHTS with the bytes, and the receiver hands them to fd arguments in
// message order. The Encoder neither dups nor closes fd.
func (e *Encoder) FD(fd int) {
	if !e.usable('h') {
		return
	}
	if fd < 0 {
		e.fail('h', "negative file descriptor", ErrBadFD)
		return
	}
	if len(e.fds)-e.fdStart >= MaxFDsPerMessage {
		e.fail('h', "more than 28 file descriptors", ErrTooManyFDs)
		return
	}
	e.fds = append(e.fds, fd)
	e.arg++
}

// Finish writes the header and returns dst and fds grown by this message.
// On error (the first failed argument, wrapping ErrTooLarge, ErrMalformed,
// ErrBadFD or ErrTooManyFDs) the message is dropped: dst and fds come back
// at their lengths from Begin, so a batch stays well formed.
func (e *Encoder) Finish() ([]byte, []int, error) {
	if !e.begun && e.err == nil {
		e.fail(0, "Finish without Begin", ErrMalformed)
	}
	if e.err != nil {
		err := e.err
		var buf []byte
		var fds []int
		if e.begun {
			buf, fds = e.buf[:e.start], e.fds[:e.fdStart]
		}
		*e = Encoder{}
		return buf, fds, err
	}
	PutHeader(e.buf[e.start:], Header{Object: e.object, Opcode: e.opcode, Size: uint16(e.Len())})
	buf, fds := e.buf, e.fds
	*e = Encoder{}
	return buf, fds, nil
}

func appendZeros(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, 0)
	}
	return b
}
