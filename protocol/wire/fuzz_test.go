package wire

import (
	"testing"
)

// sigAlphabet maps fuzz bytes to signature characters, so the fuzzer
// explores every type, nullable forms and malformed signatures.
const sigAlphabet = "iufsonah?2x"

// FuzzDecode feeds arbitrary bodies to Validate and to the typed Decoder
// under a signature taken from the input. Beyond not panicking, it checks
// that both agree, that nothing reads past the body, and that a valid
// message re-encodes to the same bytes apart from padding.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("usu"), le(1, 14, 0x635f6c77, 0x6f706d6f, 0x6f746973, 0x72, 6), byte(0))
	f.Add([]byte("?sah"), le(0, 3, 0x00030201), byte(1))
	f.Add([]byte("s"), le(0xffffffff, 0), byte(0))
	f.Add([]byte("a"), le(0xfffffffd), byte(0))
	f.Add([]byte("on"), le(0, 0), byte(0))
	f.Add([]byte("iiii"), le(1, 2, 3, 4), byte(0))
	f.Fuzz(func(t *testing.T, sigb, body []byte, nfds byte) {
		if len(sigb) > 64 {
			sigb = sigb[:64]
		}
		sig := make([]byte, len(sigb))
		for i, c := range sigb {
			sig[i] = sigAlphabet[int(c)%len(sigAlphabet)]
		}
		n := int(nfds % 4)
		used, verr := Validate(string(sig), body, n)
		if used > n {
			t.Fatalf("used %d fds of %d", used, n)
		}

		fdq := make([]int, n)
		for i := range fdq {
			fdq[i] = 100 + i
		}
		cur := &FDCursor{FDs: fdq}
		var d Decoder
		d.Reset(body, cur)
		var e Encoder
		e.Begin(nil, nil, 1, 0)
		derr := decodeSig(t, string(sig), &d, &e)
		if d.Len() < 0 || d.Len() > len(body) {
			t.Fatalf("decoder position out of range: %d of %d", d.Len(), len(body))
		}
		// Validate and the Decoder implement the same rules; signature
		// errors are Validate's alone.
		if !isSigErr(verr) && (verr == nil) != (derr == nil) {
			t.Fatalf("validate %v, decoder %v", verr, derr)
		}
		if verr == nil && derr == nil {
			out, fds, err := e.Finish()
			if err != nil {
				return // re-encoding can exceed 4096; decoding has no such limit
			}
			if len(fds) != used {
				t.Fatalf("re-encoded %d fds, validate used %d", len(fds), used)
			}
			if _, err := Validate(string(sig), out[HeaderSize:], len(fds)); err != nil {
				t.Fatalf("re-encoded message invalid: %v", err)
			}
		}
	})
}

func isSigErr(err error) bool {
	ae, ok := err.(*ArgError)
	return ok && ae.Err == ErrSignature
}

// decodeSig walks sig with the typed Decoder, re-encoding what it reads.
func decodeSig(t *testing.T, sig string, d *Decoder, e *Encoder) error {
	nullable := false
	for i := 0; i < len(sig); i++ {
		var err error
		switch sig[i] {
		case '?':
			nullable = true
			continue
		case '2':
			continue
		case 'i':
			var v int32
			v, err = d.Int()
			e.Int(v)
		case 'u':
			var v uint32
			v, err = d.Uint()
			e.Uint(v)
		case 'f':
			var v Fixed
			v, err = d.Fixed()
			e.Fixed(v)
		case 'o':
			var v uint32
			if nullable {
				v, err = d.NullableObject()
			} else {
				v, err = d.Object()
			}
			e.Object(v)
		case 'n':
			var v uint32
			v, err = d.NewID()
			e.NewID(v)
		case 's':
			var b []byte
			var ok bool
			if nullable {
				b, ok, err = d.NullableStringBytes()
			} else {
				b, err = d.StringBytes()
				ok = true
			}
			e.NullableString(string(b), ok)
		case 'a':
			var b []byte
			b, err = d.Array()
			e.Array(b)
		case 'h':
			var fd int
			fd, err = d.FD()
			e.FD(fd)
		default:
			return nil
		}
		if err != nil {
			return err
		}
		nullable = false
	}
	return nil
}

// FuzzHeader checks ParseHeader against its definition and PutHeader.
func FuzzHeader(f *testing.F) {
	f.Add(le(1, 8<<16))
	f.Add(le(1, 12<<16|3))
	f.Add(le(1, 7<<16))
	f.Add(le(0xff000000, 0xffff<<16|0xffff))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if len(b) < HeaderSize {
			if err == nil {
				t.Fatal("short header accepted")
			}
			return
		}
		size := order.Uint32(b[4:]) >> 16
		valid := size >= HeaderSize && size%4 == 0
		if valid != (err == nil) {
			t.Fatalf("size %d: err %v", size, err)
		}
		if err != nil {
			return
		}
		out := make([]byte, HeaderSize)
		PutHeader(out, h)
		if string(out) != string(b[:HeaderSize]) {
			t.Fatalf("header does not round-trip: %x vs %x", out, b[:HeaderSize])
		}
		if h.BodySize() < 0 || h.BodySize() > MaxWireSize-HeaderSize {
			t.Fatalf("body size %d", h.BodySize())
		}
	})
}
