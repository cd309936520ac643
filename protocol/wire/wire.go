package wire

import (
	"encoding/binary"
	"math"
)

const (
	// HeaderSize is the size of a message header: object id, then size<<16|opcode.
	HeaderSize = 8
	// MaxMessageSize bounds every message this package encodes. libwayland
	// before 1.23 (Debian 12 ships 1.21) keeps a fixed 4096-byte ring per
	// direction and drops the connection on anything larger.
	MaxMessageSize = 4096
	// MaxWireSize is the largest size the 16-bit size field can state while
	// staying a multiple of 4. Readers must still bound their own buffers.
	MaxWireSize = 0xfffc
	// MaxFDsPerMessage bounds the fds sent with one message, and
	// MaxFDsPerRead the fds a reader should make room for in one recvmsg:
	// both are libwayland's MAX_FDS_OUT.
	MaxFDsPerMessage = 28
	MaxFDsPerRead    = 28
)

// order is the wire byte order: the host's, as libwayland writes uint32s
// straight from memory. headway only targets little-endian Linux, but the
// codec stays correct anywhere by following the host.
var order = binary.NativeEndian

// Header is a parsed message header.
type Header struct {
	Object uint32 // sender (event) or target (request) object id
	Opcode uint16
	Size   uint16 // whole message in bytes, header included
}

// BodySize is Size minus the header.
func (h Header) BodySize() int { return int(h.Size) - HeaderSize }

// ParseHeader reads the header at the start of b. It rejects a size below
// HeaderSize (libwayland: "message too short, invalid header") and a size
// that is not a multiple of 4. The second check is stricter than
// libwayland, which silently rounds the body down to whole words; every
// argument is 4-byte aligned, so such a size only comes from a broken or
// hostile peer, and a test compositor should say so. It does not check that
// the body is present: the reader waits for Size bytes.
func ParseHeader(b []byte) (Header, error) {
	if len(b) < HeaderSize {
		return Header{}, &ArgError{Index: -1, What: "short header", Err: ErrMalformed}
	}
	w := order.Uint32(b[4:8])
	h := Header{Object: order.Uint32(b[0:4]), Opcode: uint16(w), Size: uint16(w >> 16)}
	if h.Size < HeaderSize {
		return h, &ArgError{Index: -1, What: "message size smaller than header", Err: ErrMalformed}
	}
	if h.Size%4 != 0 {
		return h, &ArgError{Index: -1, What: "message size not a multiple of 4", Err: ErrMalformed}
	}
	return h, nil
}

// PutHeader writes h into the first HeaderSize bytes of b, which must be at
// least that long.
func PutHeader(b []byte, h Header) {
	order.PutUint32(b[0:4], h.Object)
	order.PutUint32(b[4:8], uint32(h.Size)<<16|uint32(h.Opcode))
}

// Fixed is wl_fixed_t: a signed 24.8 fixed-point number.
type Fixed int32

// FixedFromInt is wl_fixed_from_int: i*256, wrapping silently outside
// ±2^23 as the C multiplication does on every real target.
func FixedFromInt(i int) Fixed { return Fixed(int32(i) * 256) }

// FixedFromFloat is wl_fixed_from_double as current libwayland defines it,
// (wl_fixed_t)(d * 256.0): truncation toward zero. Older releases used a
// bias trick that rounded to nearest; the two differ by at most 1/256.
// Where C is undefined (NaN, out of range) this saturates (NaN gives 0), so
// the result never depends on the platform.
func FixedFromFloat(d float64) Fixed {
	v := d * 256
	switch {
	case v != v:
		return 0
	case v >= math.MaxInt32:
		return math.MaxInt32
	case v <= math.MinInt32:
		return math.MinInt32
	}
	return Fixed(int32(v))
}

// Float is wl_fixed_to_double: exact, since every 24.8 value is a double.
func (f Fixed) Float() float64 { return float64(f) / 256 }

// Int is wl_fixed_to_int: the integer part, truncated toward zero.
func (f Fixed) Int() int { return int(f) / 256 }

// pad4 rounds n up to a multiple of 4; callers keep n far below overflow.
func pad4(n int) int { return (n + 3) &^ 3 }
