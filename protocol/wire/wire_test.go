package wire

import (
	"errors"
	"math"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// le builds a body from u32 words, in wire (host) order.
func le(words ...uint32) []byte {
	b := make([]byte, 0, 4*len(words))
	for _, w := range words {
		b = order.AppendUint32(b, w)
	}
	return b
}

func encode(t *testing.T, object uint32, opcode uint16, args func(e *Encoder)) ([]byte, []int) {
	t.Helper()
	var e Encoder
	e.Begin(nil, nil, object, opcode)
	args(&e)
	msg, fds, err := e.Finish()
	require.NoError(t, err)
	return msg, fds
}

func TestHeaderRoundTrip(t *testing.T) {
	b := make([]byte, HeaderSize)
	want := Header{Object: 0xff000001, Opcode: 0xbeef, Size: 0xfffc}
	PutHeader(b, want)
	got, err := ParseHeader(b)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, 0xfffc-8, got.BodySize())
	// size<<16 | opcode in one host-order word after the object id.
	assert.Equal(t, uint32(0xfffc)<<16|0xbeef, order.Uint32(b[4:]))
}

func TestParseHeaderRejects(t *testing.T) {
	cases := []struct {
		name string
		b    []byte
	}{
		{"short", []byte{1, 0, 0, 0, 0, 0}},
		{"empty", nil},
		{"size 0", le(1, 0)},
		{"size 4", le(1, 4<<16)},
		{"size 7", le(1, 7<<16)},
		{"size 9", le(1, 9<<16)},
		{"size 14", le(1, 14<<16)},
		{"size 0xffff", le(1, 0xffff<<16)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseHeader(c.b)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.ErrorIs(t, err, syscall.EINVAL)
			// A header error concerns no argument.
			var ae *ArgError
			require.True(t, errors.As(err, &ae))
			assert.Equal(t, -1, ae.Index)
		})
	}
	h, err := ParseHeader(le(1, 8<<16|3))
	require.NoError(t, err)
	assert.Equal(t, Header{Object: 1, Opcode: 3, Size: 8}, h)
}

func TestRoundTripAllTypes(t *testing.T) {
	arr := []byte{1, 2, 3, 4, 5}
	msg, fds := encode(t, 7, 2, func(e *Encoder) {
		e.Int(-5)
		e.Uint(0xffffffff)
		e.Fixed(FixedFromFloat(-1.5))
		e.String("hello")
		e.NullString()
		e.String("")
		e.Object(3)
		e.Object(0)
		e.NewID(9)
		e.UntypedNewID("wl_compositor", 6, 10)
		e.Array(arr)
		e.Array(nil)
		e.FD(42)
		e.NullableString("x", true)
		e.NullableString("ignored", false)
	})
	assert.Equal(t, []int{42}, fds)
	h, err := ParseHeader(msg)
	require.NoError(t, err)
	assert.Equal(t, Header{Object: 7, Opcode: 2, Size: uint16(len(msg))}, h)
	assert.Zero(t, len(msg)%4)

	sig := "iuf s?sso?onsunaah?s?s"
	used, err := Validate(strings.ReplaceAll(sig, " ", ""), msg[HeaderSize:], 1)
	require.NoError(t, err)
	assert.Equal(t, 1, used)

	var d Decoder
	d.Reset(msg[HeaderSize:], &FDCursor{FDs: fds})
	i, err := d.Int()
	require.NoError(t, err)
	assert.Equal(t, int32(-5), i)
	u, err := d.Uint()
	require.NoError(t, err)
	assert.Equal(t, uint32(0xffffffff), u)
	f, err := d.Fixed()
	require.NoError(t, err)
	assert.Equal(t, -1.5, f.Float())
	s, err := d.String()
	require.NoError(t, err)
	assert.Equal(t, "hello", s)
	_, ok, err := d.NullableString()
	require.NoError(t, err)
	assert.False(t, ok, "null string")
	s, ok, err = d.NullableString()
	require.NoError(t, err)
	assert.True(t, ok, "empty string is not null")
	assert.Equal(t, "", s)
	o, err := d.Object()
	require.NoError(t, err)
	assert.Equal(t, uint32(3), o)
	o, err = d.NullableObject()
	require.NoError(t, err)
	assert.Zero(t, o)
	n, err := d.NewID()
	require.NoError(t, err)
	assert.Equal(t, uint32(9), n)
	iface, ver, id, err := d.UntypedNewID()
	require.NoError(t, err)
	assert.Equal(t, "wl_compositor", iface)
	assert.Equal(t, uint32(6), ver)
	assert.Equal(t, uint32(10), id)
	a, err := d.Array()
	require.NoError(t, err)
	assert.Equal(t, arr, a)
	a, err = d.Array()
	require.NoError(t, err)
	assert.Empty(t, a)
	fd, err := d.FD()
	require.NoError(t, err)
	assert.Equal(t, 42, fd)
	s, ok, err = d.NullableString()
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "x", s)
	_, ok, err = d.NullableString()
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Zero(t, d.Len())
	assert.Equal(t, 17, d.Arg())
}

func TestStringPadding(t *testing.T) {
	// Lengths on the wire include the NUL: "ab" is 3, "abc" 4, "abcd" 5.
	cases := []struct {
		s      string
		wire   uint32
		padded int
	}{
		{"", 1, 4},
		{"ab", 3, 4},
		{"abc", 4, 4},
		{"abcd", 5, 8},
		{"abcdefg", 8, 8},
	}
	for _, c := range cases {
		t.Run(c.s, func(t *testing.T) {
			msg, _ := encode(t, 1, 0, func(e *Encoder) { e.String(c.s) })
			body := msg[HeaderSize:]
			require.Len(t, body, 4+c.padded)
			assert.Equal(t, c.wire, order.Uint32(body))
			assert.Equal(t, c.s, string(body[4:4+len(c.s)]))
			for _, p := range body[4+len(c.s):] {
				assert.Zero(t, p, "NUL and padding are zero")
			}
			var d Decoder
			d.Reset(body, nil)
			b, err := d.StringBytes()
			require.NoError(t, err)
			assert.Equal(t, c.s, string(b))
			assert.Zero(t, d.Len())
		})
	}
}

func TestArrayPadding(t *testing.T) {
	for n := 0; n <= 9; n++ {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i + 1)
		}
		msg, _ := encode(t, 1, 0, func(e *Encoder) { e.Array(data) })
		body := msg[HeaderSize:]
		require.Len(t, body, 4+pad4(n))
		assert.Equal(t, uint32(n), order.Uint32(body))
		var d Decoder
		d.Reset(body, nil)
		a, err := d.Array()
		require.NoError(t, err)
		assert.Equal(t, data, a)
		assert.Equal(t, n, cap(a), "view is capped so appends cannot clobber the next argument")
	}
}

func TestMaxMessageSize(t *testing.T) {
	// header 8 + array length 4 + 4084 bytes = 4096 exactly.
	exact := make([]byte, MaxMessageSize-HeaderSize-4)
	msg, _ := encode(t, 1, 0, func(e *Encoder) { e.Array(exact) })
	assert.Len(t, msg, MaxMessageSize)
	h, err := ParseHeader(msg)
	require.NoError(t, err)
	assert.Equal(t, uint16(MaxMessageSize), h.Size)

	prior := []byte("prefix..") // an earlier message of the batch stays intact
	var e Encoder
	e.Begin(prior, []int{5}, 1, 0)
	e.Array(make([]byte, MaxMessageSize-HeaderSize)) // 4100 bytes in total
	e.FD(6)
	e.Uint(1)
	out, fds, err := e.Finish()
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.ErrorIs(t, err, syscall.E2BIG)
	assert.Equal(t, []byte("prefix.."), out)
	assert.Equal(t, []int{5}, fds)
	var ae *ArgError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, 0, ae.Index)
	assert.Equal(t, byte('a'), ae.Type)

	// Growing one word at a time: the 1023rd uint (8+1022*4 = 4096) fits, the next does not.
	e.Begin(nil, nil, 1, 0)
	for i := 0; i < (MaxMessageSize-HeaderSize)/4; i++ {
		e.Uint(uint32(i))
	}
	assert.Equal(t, MaxMessageSize, e.Len())
	e.Uint(0)
	_, _, err = e.Finish()
	assert.ErrorIs(t, err, ErrTooLarge)

	// A huge string is refused without the buffer ever growing.
	buf := make([]byte, 0, 16)
	e.Begin(buf, nil, 1, 0)
	e.String(strings.Repeat("x", 1<<20))
	out, _, err = e.Finish()
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Equal(t, 16, cap(out))
}

func TestEncoderRejects(t *testing.T) {
	cases := []struct {
		name string
		args func(e *Encoder)
		want error
	}{
		{"NUL in string", func(e *Encoder) { e.String("a\x00b") }, ErrMalformed},
		{"negative fd", func(e *Encoder) { e.FD(-1) }, ErrBadFD},
		{"29 fds", func(e *Encoder) {
			for i := 0; i < MaxFDsPerMessage+1; i++ {
				e.FD(i)
			}
		}, ErrTooManyFDs},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e Encoder
			e.Begin(nil, nil, 1, 0)
			c.args(&e)
			e.Uint(1) // ignored after the failure
			out, fds, err := e.Finish()
			assert.ErrorIs(t, err, c.want)
			assert.Empty(t, out)
			assert.Empty(t, fds)
		})
	}
	var e Encoder
	e.Begin(nil, nil, 1, 0)
	for i := 0; i < MaxFDsPerMessage; i++ {
		e.FD(i)
	}
	_, fds, err := e.Finish()
	require.NoError(t, err)
	assert.Len(t, fds, MaxFDsPerMessage)
}

func TestBatchAndFDsInTheMiddle(t *testing.T) {
	// Two messages in one buffer, fds in the middle of each, as a
	// connection would batch them; the cursor hands fds out in order.
	var e Encoder
	e.Begin(nil, nil, 3, 1)
	e.Uint(1)
	e.FD(10)
	e.String("mid")
	e.FD(11)
	e.Int(-2)
	buf, fds, err := e.Finish()
	require.NoError(t, err)
	e.Begin(buf, fds, 4, 0)
	e.FD(12)
	e.Uint(7)
	buf, fds, err = e.Finish()
	require.NoError(t, err)
	assert.Equal(t, []int{10, 11, 12}, fds)

	cur := &FDCursor{FDs: fds}
	var d Decoder
	h, err := ParseHeader(buf)
	require.NoError(t, err)
	d.Reset(buf[HeaderSize:h.Size], cur)
	u, _ := d.Uint()
	fd1, err := d.FD()
	require.NoError(t, err)
	s, _ := d.String()
	fd2, err := d.FD()
	require.NoError(t, err)
	i, err := d.Int()
	require.NoError(t, err)
	assert.Equal(t, []any{uint32(1), 10, "mid", 11, int32(-2)}, []any{u, fd1, s, fd2, i})

	buf = buf[h.Size:]
	h, err = ParseHeader(buf)
	require.NoError(t, err)
	assert.Equal(t, uint32(4), h.Object)
	d.Reset(buf[HeaderSize:h.Size], cur)
	fd3, err := d.FD()
	require.NoError(t, err)
	assert.Equal(t, 12, fd3)
	_, err = d.FD()
	assert.ErrorIs(t, err, ErrNoFD)
	var ae *ArgError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 1, ae.Index)
	assert.Equal(t, byte('h'), ae.Type)
}

func TestDecoderRejects(t *testing.T) {
	cases := []struct {
		name string
		body []byte
		read func(d *Decoder) error
		want error
		idx  int
	}{
		{"int short", []byte{1, 2, 3}, func(d *Decoder) error { _, err := d.Int(); return err }, ErrMalformed, 0},
		{"null object", le(0), func(d *Decoder) error { _, err := d.Object(); return err }, ErrNull, 0},
		{"null new_id", le(5, 0), func(d *Decoder) error { d.Uint(); _, err := d.NewID(); return err }, ErrNull, 1},
		{"null string", le(0), func(d *Decoder) error { _, err := d.String(); return err }, ErrNull, 0},
		{"string 0xffffffff", le(0xffffffff, 0), func(d *Decoder) error { _, err := d.StringBytes(); return err }, ErrMalformed, 0},
		{"string 0xfffffffd", le(0xfffffffd, 0), func(d *Decoder) error { _, _, err := d.NullableStringBytes(); return err }, ErrMalformed, 0},
		{"string overruns", le(5, 0x61616161), func(d *Decoder) error { _, err := d.String(); return err }, ErrMalformed, 0},
		{"string no NUL", le(4, 0x61616161), func(d *Decoder) error { _, err := d.String(); return err }, ErrMalformed, 0},
		{"string NUL early not last", append(le(3), 'a', 0, 'b', 0), func(d *Decoder) error { _, err := d.String(); return err }, ErrMalformed, 0},
		{"array 0xffffffff", le(0xffffffff), func(d *Decoder) error { _, err := d.Array(); return err }, ErrMalformed, 0},
		{"array 0xfffffffd", le(0xfffffffd, 1, 2), func(d *Decoder) error { _, err := d.Array(); return err }, ErrMalformed, 0},
		{"array overruns", le(5, 0), func(d *Decoder) error { _, err := d.Array(); return err }, ErrMalformed, 0},
		{"no fd", nil, func(d *Decoder) error { _, err := d.FD(); return err }, ErrNoFD, 0},
		{"untyped bad id", append(append(le(4), "wl_\x00"...), le(1, 0)...), func(d *Decoder) error { _, _, _, err := d.UntypedNewID(); return err }, ErrNull, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var d Decoder
			d.Reset(c.body, nil)
			err := c.read(&d)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.want)
			var ae *ArgError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, c.idx, ae.Index)
			assert.Contains(t, err.Error(), "argument")
		})
	}
	assert.ErrorIs(t, ErrNull, ErrMalformed, "a forbidden null is a malformed message")
	assert.ErrorIs(t, ErrNoFD, syscall.EINVAL)
	assert.NotErrorIs(t, ErrNoFD, ErrMalformed)
}

func TestInteriorNULCutLikeC(t *testing.T) {
	body := append(le(4), 'a', 0, 'b', 0)
	var d Decoder
	d.Reset(body, nil)
	s, err := d.String()
	require.NoError(t, err)
	assert.Equal(t, "a", s)
	assert.Zero(t, d.Len())
}

func TestTruncatedAtEveryOffset(t *testing.T) {
	const sig = "uis?safoh"
	msg, fds := encode(t, 2, 1, func(e *Encoder) {
		e.Uint(1)
		e.Int(-1)
		e.String("truncate me")
		e.NullString()
		e.Array([]byte{9, 8, 7})
		e.Fixed(FixedFromInt(3))
		e.Object(4)
		e.FD(5)
	})
	body := msg[HeaderSize:]
	_, err := Validate(sig, body, len(fds))
	require.NoError(t, err)
	for n := 0; n < len(body); n++ {
		_, err := Validate(sig, body[:n], len(fds))
		require.Errorf(t, err, "body cut to %d bytes", n)
		assert.ErrorIs(t, err, ErrMalformed)
	}
}

func TestHostileLengthsDoNotAllocate(t *testing.T) {
	bodies := [][]byte{le(0xffffffff), le(0xffffffff, 0, 0), le(0x7fffffff, 0), le(0x80000000, 0)}
	for _, b := range bodies {
		allocs := testing.AllocsPerRun(100, func() {
			_, err := Validate("a", b, 0)
			if err == nil {
				t.Fatal("hostile array accepted")
			}
			_, err = Validate("s", b, 0)
			if err == nil {
				t.Fatal("hostile string accepted")
			}
		})
		// One *ArgError per failure, nothing sized by the length.
		assert.LessOrEqual(t, allocs, 2.0)
	}
}

func TestValidateSignature(t *testing.T) {
	body := le(1, 2)
	cases := []struct {
		sig  string
		nfds int
		used int
		want error
	}{
		{"uu", 0, 0, nil},
		{"2uu", 0, 0, nil},
		{"uhu", 1, 1, nil},
		{"uhu", 0, 0, ErrNoFD},
		{"uhhu", 1, 1, ErrNoFD},
		{"ux", 0, 0, ErrSignature},
		{"u?", 0, 0, ErrSignature},
		{"u2u", 0, 0, ErrSignature},
		{"uuu", 0, 0, ErrMalformed},
		{"", 0, 0, nil},
	}
	for _, c := range cases {
		t.Run(c.sig, func(t *testing.T) {
			used, err := Validate(c.sig, body, c.nfds)
			assert.Equal(t, c.used, used)
			if c.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, c.want)
			}
		})
	}
	// "?o" allows 0, "o" does not; "n" never does.
	_, err := Validate("?o", le(0), 0)
	assert.NoError(t, err)
	_, err = Validate("o", le(0), 0)
	assert.ErrorIs(t, err, ErrNull)
	_, err = Validate("?n", le(0), 0)
	assert.ErrorIs(t, err, ErrNull)
}

func TestFixed(t *testing.T) {
	cases := []struct {
		in   float64
		want Fixed
	}{
		{0, 0},
		{1, 256},
		{-1, -256},
		{1.5, 384},
		{-1.5, -384},
		{1.0 / 256, 1},
		{-1.0 / 256, -1},
		{0.999 / 256, 0},  // truncation toward zero, as (wl_fixed_t)(d * 256.0)
		{-0.999 / 256, 0}, // toward zero, not floor
		{2.9999 / 256, 2}, // not rounded to nearest
		{8388607.99609375, math.MaxInt32},
		{-8388608, math.MinInt32},
		{1e12, math.MaxInt32},
		{-1e12, math.MinInt32},
		{math.Inf(1), math.MaxInt32},
		{math.Inf(-1), math.MinInt32},
		{math.NaN(), 0},
	}
	for _, c := range cases {
		assert.Equalf(t, c.want, FixedFromFloat(c.in), "FixedFromFloat(%v)", c.in)
	}
	for _, f := range []Fixed{0, 1, -1, 255, -255, 256, math.MaxInt32, math.MinInt32, 0x12345} {
		assert.Equal(t, f, FixedFromFloat(f.Float()), "Float is exact")
		assert.Equal(t, float64(f)/256, f.Float())
	}
	assert.Equal(t, 1, Fixed(511).Int())
	assert.Equal(t, -1, Fixed(-511).Int(), "Int truncates toward zero like C's f / 256")
	assert.Equal(t, 8388607, Fixed(math.MaxInt32).Int())
	assert.Equal(t, -8388608, Fixed(math.MinInt32).Int())
	assert.Equal(t, Fixed(-1280), FixedFromInt(-5))
	assert.Equal(t, Fixed(0x7fffff00), FixedFromInt(8388607))
}

func TestFDCursor(t *testing.T) {
	var nilCursor *FDCursor
	_, ok := nilCursor.NextFD()
	assert.False(t, ok)
	c := &FDCursor{FDs: []int{3, 4}}
	a, _ := c.NextFD()
	b, _ := c.NextFD()
	_, ok = c.NextFD()
	assert.Equal(t, []int{3, 4}, []int{a, b})
	assert.False(t, ok)
}

func TestSteadyStateAllocs(t *testing.T) {
	buf := make([]byte, 0, 256)
	fds := make([]int, 0, 4)
	var e Encoder
	var d Decoder
	cur := &FDCursor{}
	allocs := testing.AllocsPerRun(200, func() {
		e.Begin(buf[:0], fds[:0], 5, 1)
		e.Uint(42)
		e.String("wl_compositor")
		e.Uint(6)
		e.FD(3)
		e.Array([]byte{1, 2})
		out, f, err := e.Finish()
		if err != nil {
			t.Fatal(err)
		}
		cur.FDs, cur.Next = f, 0
		d.Reset(out[HeaderSize:], cur)
		d.Uint()
		d.StringBytes()
		d.Uint()
		d.FD()
		d.Array()
		if _, err := Validate("usuha", out[HeaderSize:], 1); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

func TestEncoderMisuseDoesNotPanic(t *testing.T) {
	var e Encoder
	_, _, err := e.Finish()
	assert.ErrorIs(t, err, ErrMalformed, "Finish without Begin")

	e.Uint(1)
	e.String("x")
	e.FD(3)
	out, fds, err := e.Finish()
	assert.ErrorIs(t, err, ErrMalformed, "arguments before Begin")
	assert.Nil(t, out)
	assert.Nil(t, fds)

	// Finish resets: a second Finish is again a misuse, not a stale message.
	e.Begin(nil, nil, 1, 0)
	_, _, err = e.Finish()
	require.NoError(t, err)
	_, _, err = e.Finish()
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestEncoderErrorNamesTheArgument(t *testing.T) {
	// Every kind of argument counts towards the index an error reports, so
	// a log line points at the argument the XML lists.
	var e Encoder
	e.Begin(nil, nil, 1, 0)
	e.Uint(1)
	e.String("s")
	e.Array([]byte{1})
	e.FD(3)
	e.NullString()
	e.FD(-1)
	_, _, err := e.Finish()
	var ae *ArgError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, 5, ae.Index)
	assert.Equal(t, byte('h'), ae.Type)
	assert.Equal(t, "wire: argument 5 (fd) at offset 32: negative file descriptor (wire: invalid file descriptor)", err.Error())

	assert.Equal(t, "wire: argument 2 at offset 4: what", (&ArgError{Index: 2, Offset: 4, What: "what"}).Error())
	assert.Equal(t, "wire: no index", (&ArgError{Index: -1, What: "no index"}).Error())
}

func TestStringStartingWithNUL(t *testing.T) {
	var e Encoder
	e.Begin(nil, nil, 1, 0)
	e.String("\x00a")
	_, _, err := e.Finish()
	assert.ErrorIs(t, err, ErrMalformed)

	// A C handler reads an empty string from bytes that start with NUL.
	var d Decoder
	d.Reset(append(le(4), 0, 'a', 'b', 0), nil)
	s, err := d.String()
	require.NoError(t, err)
	assert.Equal(t, "", s)
}

func TestStringAtTheSizeLimit(t *testing.T) {
	// header 8 + length 4 + n bytes padded: the longest string that fits
	// has 4083 bytes (4084 with its NUL); each longer length up to the
	// next word needs a word that is not there.
	for n := MaxMessageSize - HeaderSize - 4 - 8; n <= MaxMessageSize-HeaderSize-4+4; n++ {
		var e Encoder
		e.Begin(nil, nil, 1, 0)
		e.String(strings.Repeat("x", n))
		msg, _, err := e.Finish()
		if n+1 <= MaxMessageSize-HeaderSize-4 {
			require.NoError(t, err, "length %d", n)
			assert.Len(t, msg, HeaderSize+4+(n+1+3)&^3)
		} else {
			assert.ErrorIs(t, err, ErrTooLarge, "length %d", n)
		}
	}
}

func TestFDLimitIsPerMessage(t *testing.T) {
	// Each message of a batch may carry 28 fds; the ones before Begin
	// belong to earlier messages.
	var e Encoder
	var buf []byte
	var fds []int
	for m := 0; m < 2; m++ {
		e.Begin(buf, fds, 1, 0)
		for i := 0; i < MaxFDsPerMessage; i++ {
			e.FD(i)
		}
		var err error
		buf, fds, err = e.Finish()
		require.NoError(t, err, "message %d", m)
	}
	assert.Len(t, fds, 2*MaxFDsPerMessage)
}

func TestValidateCountsFDArguments(t *testing.T) {
	// An fd argument takes no body bytes but is an argument: the uint
	// after it is argument 1.
	_, err := Validate("hu", nil, 1)
	var ae *ArgError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, 1, ae.Index)
	assert.Equal(t, byte('u'), ae.Type)
}

func TestNoFDGivesMinusOne(t *testing.T) {
	var d Decoder
	d.Reset(nil, nil)
	fd, err := d.FD()
	assert.ErrorIs(t, err, ErrNoFD)
	assert.Equal(t, -1, fd)
	d.Reset(nil, &FDCursor{})
	fd, err = d.FD()
	assert.ErrorIs(t, err, ErrNoFD)
	assert.Equal(t, -1, fd)
	fd, ok := (&FDCursor{FDs: []int{7}, Next: 1}).NextFD()
	assert.False(t, ok)
	assert.Equal(t, -1, fd)
}
