package wire

import "bytes"

// FDSource hands out received fds in message order, like libwayland's
// per-connection fds_in ring. NextFD returns false when none is queued.
type FDSource interface {
	NextFD() (int, bool)
}

// FDCursor is an FDSource over a slice: FDs[Next:] are still queued.
type FDCursor struct {
	FDs  []int
	Next int
}

// NextFD pops the next queued fd.
func (c *FDCursor) NextFD() (int, bool) {
	if c == nil || c.Next >= len(c.FDs) {
		return -1, false
	}
	fd := c.FDs[c.Next]
	c.Next++
	return fd, true
}

// Decoder reads the arguments of one message body in order. The zero value
// is an empty body with no fds; Reset it for every message. Successful
// reads do not allocate, except String and UntypedNewID, which copy.
//
// Views (StringBytes, Array, ...) alias the body passed to Reset and are
// valid only until the caller reuses that buffer.
//
// Checks follow libwayland's wl_connection_demarshal: every argument must
// fit in the body; a string's length must fit, be non-zero unless nullable,
// and its last counted byte must be NUL; object and new_id ids must be
// non-zero unless nullable (new_id never is); an fd argument needs a queued
// fd. Padding bytes are not checked, as libwayland does not check them.
type Decoder struct {
	body []byte
	off  int
	arg  int
	fds  FDSource
}

// Reset points the decoder at a message body (the bytes after the header)
// and the fd source to draw fd arguments from (nil: none).
func (d *Decoder) Reset(body []byte, fds FDSource) {
	// Field by field: a whole-struct assignment goes through a stack
	// temporary the store buffer cannot forward, about 9 ns a call on the
	// request path, which resets twice per request.
	d.body, d.off, d.arg, d.fds = body, 0, 0, fds
}

// Len is the number of body bytes not yet consumed. libwayland ignores
// trailing bytes, so a non-zero Len after the last argument is not an error
// unless the caller wants to be stricter.
func (d *Decoder) Len() int { return len(d.body) - d.off }

// Arg is the index of the next argument.
func (d *Decoder) Arg() int { return d.arg }

func (d *Decoder) fail(t byte, what string, err error) error {
	return &ArgError{Index: d.arg, Type: t, Offset: d.off, What: what, Err: err}
}

func (d *Decoder) u32(t byte) (uint32, error) {
	if d.Len() < 4 {
		return 0, d.fail(t, "message too short", ErrMalformed)
	}
	v := order.Uint32(d.body[d.off:])
	d.off += 4
	d.arg++
	return v, nil
}

// Int reads an int argument.
func (d *Decoder) Int() (int32, error) {
	v, err := d.u32('i')
	return int32(v), err
}

// Uint reads a uint argument.
func (d *Decoder) Uint() (uint32, error) { return d.u32('u') }

// Fixed reads a fixed argument.
func (d *Decoder) Fixed() (Fixed, error) {
	v, err := d.u32('f')
	return Fixed(v), err
}

// Object reads a non-nullable object id; 0 is an ErrNull error.
func (d *Decoder) Object() (uint32, error) {
	if d.Len() >= 4 && order.Uint32(d.body[d.off:]) == 0 {
		return 0, d.fail('o', "null object on non-nullable argument", ErrNull)
	}
	return d.u32('o')
}

// NullableObject reads a "?o" object id; 0 means null.
func (d *Decoder) NullableObject() (uint32, error) { return d.u32('o') }

// NewID reads a new_id; 0 is an ErrNull error (new_id is never nullable).
// Whether the id is free and in the client's range is the object table's
// check.
func (d *Decoder) NewID() (uint32, error) {
	if d.Len() >= 4 && order.Uint32(d.body[d.off:]) == 0 {
		return 0, d.fail('n', "null new_id", ErrNull)
	}
	return d.u32('n')
}

// str reads a string argument and returns a view of its bytes without the
// terminating NUL; ok is false for a null string.
func (d *Decoder) str(nullable bool) (b []byte, ok bool, err error) {
	if d.Len() < 4 {
		return nil, false, d.fail('s', "message too short", ErrMalformed)
	}
	n := order.Uint32(d.body[d.off:])
	if n == 0 {
		if !nullable {
			return nil, false, d.fail('s', "null string on non-nullable argument", ErrNull)
		}
		d.off += 4
		d.arg++
		return nil, false, nil
	}
	// Compare in uint64 so a hostile 0xffffffff cannot wrap the padding
	// arithmetic; nothing is allocated from n.
	rest := d.Len() - 4
	if (uint64(n)+3)&^3 > uint64(rest) {
		return nil, false, d.fail('s', "string length overruns message", ErrMalformed)
	}
	start := d.off + 4
	s := d.body[start : start+int(n)]
	if s[n-1] != 0 {
		return nil, false, d.fail('s', "string not NUL-terminated", ErrMalformed)
	}
	s = s[:n-1]
	// A C handler sees the string only up to its first NUL; hand the Go
	// side the same value so both kinds of server agree.
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	d.off = start + pad4(int(n))
	d.arg++
	return s, true, nil
}

// StringBytes reads a non-nullable string as a view (no NUL, no copy).
func (d *Decoder) StringBytes() ([]byte, error) {
	b, _, err := d.str(false)
	return b, err
}

// NullableStringBytes reads a "?s" string as a view; ok is false for null.
// An empty non-null string gives ok true and an empty view.
func (d *Decoder) NullableStringBytes() (b []byte, ok bool, err error) {
	return d.str(true)
}

// String reads a non-nullable string, copying it.
func (d *Decoder) String() (string, error) {
	b, _, err := d.str(false)
	return string(b), err
}

// NullableString reads a "?s" string, copying it; ok is false for null.
func (d *Decoder) NullableString() (s string, ok bool, err error) {
	b, ok, err := d.str(true)
	return string(b), ok, err
}

// UntypedNewID reads the run-time-typed new_id of wl_registry.bind:
// interface name (copied), version, id. It consumes three arguments.
func (d *Decoder) UntypedNewID() (iface string, version, id uint32, err error) {
	b, _, err := d.str(false)
	if err != nil {
		return "", 0, 0, err
	}
	if version, err = d.u32('u'); err != nil {
		return "", 0, 0, err
	}
	if id, err = d.NewID(); err != nil {
		return "", 0, 0, err
	}
	return string(b), version, id, nil
}

// Array reads an array as a view of its bytes (not copied; an empty array
// gives an empty, non-nil view when the body is non-nil).
func (d *Decoder) Array() ([]byte, error) {
	if d.Len() < 4 {
		return nil, d.fail('a', "message too short", ErrMalformed)
	}
	n := order.Uint32(d.body[d.off:])
	rest := d.Len() - 4
	if (uint64(n)+3)&^3 > uint64(rest) {
		return nil, d.fail('a', "array length overruns message", ErrMalformed)
	}
	start := d.off + 4
	a := d.body[start : start+int(n) : start+int(n)]
	d.off = start + pad4(int(n))
	d.arg++
	return a, nil
}

// FD takes the next queued fd for an fd argument; it consumes no body
// bytes. The caller owns the returned fd.
func (d *Decoder) FD() (int, error) {
	if d.fds == nil {
		return -1, d.fail('h', "no fd queued for fd argument", ErrNoFD)
	}
	fd, ok := d.fds.NextFD()
	if !ok {
		return -1, d.fail('h', "no fd queued for fd argument", ErrNoFD)
	}
	d.arg++
	return fd, nil
}
