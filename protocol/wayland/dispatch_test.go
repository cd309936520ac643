package wayland

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wire"
)

// These tests run the generated dispatchers on a resource that belongs to no
// client: enough for requests whose arguments need no object table (plain
// values and null objects). Lookups of real objects are protocol/server's
// tests.

type surfaceRec struct {
	WlSurfaceHandler // unimplemented methods panic if reached: a test bug
	damage           [4]int32
	attachBuf        *server.Resource
	attachXY         [2]int32
	calls            int
}

func (s *surfaceRec) DamageBuffer(_ *server.Resource, x, y, w, h int32) error {
	s.damage = [4]int32{x, y, w, h}
	s.calls++
	return nil
}

func (s *surfaceRec) Attach(_ *server.Resource, b *server.Resource, x, y int32) error {
	s.attachBuf, s.attachXY = b, [2]int32{x, y}
	s.calls++
	return nil
}

func body(t testing.TB, opcode uint16, args func(e *wire.Encoder)) []byte {
	t.Helper()
	var e wire.Encoder
	e.Begin(nil, nil, 3, opcode)
	args(&e)
	msg, _, err := e.Finish()
	require.NoError(t, err)
	return msg[wire.HeaderSize:]
}

func TestSurfaceDispatch(t *testing.T) {
	rec := &surfaceRec{}
	h := WlSurfaceDispatcher(rec)
	r := &server.Resource{}
	var dec wire.Decoder

	dec.Reset(body(t, WlSurfaceRequestDamageBuffer, func(e *wire.Encoder) { e.Int(-1); e.Int(2); e.Int(300); e.Int(-400) }), nil)
	require.NoError(t, h.Dispatch(r, WlSurfaceRequestDamageBuffer, &dec))
	assert.Equal(t, [4]int32{-1, 2, 300, -400}, rec.damage)

	dec.Reset(body(t, WlSurfaceRequestAttach, func(e *wire.Encoder) { e.Object(0); e.Int(7); e.Int(-8) }), nil)
	require.NoError(t, h.Dispatch(r, WlSurfaceRequestAttach, &dec))
	assert.Nil(t, rec.attachBuf, "null buffer is a nil resource")
	assert.Equal(t, [2]int32{7, -8}, rec.attachXY)
	assert.Equal(t, 2, rec.calls)
}

func TestSurfaceDispatchErrors(t *testing.T) {
	tests := []struct {
		name   string
		opcode uint16
		body   []byte
		want   error
		text   string
	}{
		{"short damage_buffer", WlSurfaceRequestDamageBuffer, make([]byte, 12), wire.ErrMalformed, "wl_surface.damage_buffer"},
		{"empty attach", WlSurfaceRequestAttach, nil, wire.ErrMalformed, "wl_surface.attach"},
		{"unknown opcode", 200, nil, nil, "no request with opcode 200"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &surfaceRec{}
			var dec wire.Decoder
			dec.Reset(tc.body, nil)
			err := WlSurfaceDispatcher(rec).Dispatch(&server.Resource{}, tc.opcode, &dec)
			require.Error(t, err)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			}
			assert.ErrorContains(t, err, tc.text)
			assert.Zero(t, rec.calls, "handler must not run on a bad message")
		})
	}
}

type shmRec struct{ WlShmHandler }

// A request that fails to decode after its fd was taken closes the fd: the
// handler never sees it, so nobody else would.
func TestDispatchClosesFDOnLaterError(t *testing.T) {
	var p [2]int
	require.NoError(t, unix.Pipe2(p[:], unix.O_CLOEXEC))
	t.Cleanup(func() { _ = unix.Close(p[1]) })
	// create_pool is "nhi": id, fd, then a size that is missing here.
	b := body(t, WlShmRequestCreatePool, func(e *wire.Encoder) { e.NewID(5) })
	var dec wire.Decoder
	dec.Reset(b, &wire.FDCursor{FDs: []int{p[0]}})
	err := WlShmDispatcher(shmRec{}).Dispatch(&server.Resource{}, WlShmRequestCreatePool, &dec)
	require.ErrorIs(t, err, wire.ErrMalformed)
	_, err = unix.FcntlInt(uintptr(p[0]), unix.F_GETFD, 0)
	assert.ErrorIs(t, err, unix.EBADF, "fd of the failed request must be closed")
}

func TestSenders(t *testing.T) {
	r := &server.Resource{} // version 0: below every since
	err := WlSurfaceSendPreferredBufferScale(r, 2)
	require.ErrorIs(t, err, server.ErrEventVersion)
	assert.ErrorContains(t, err, "wl_surface.preferred_buffer_scale")

	err = WlSurfaceSendEnter(r, nil)
	assert.True(t, errors.Is(err, wire.ErrNull), "nil non-nullable object: %v", err)
}

func TestDescriptors(t *testing.T) {
	attach := WlSurfaceInterface.Requests[WlSurfaceRequestAttach]
	assert.Equal(t, "?oii", attach.Signature)
	assert.Same(t, WlBufferInterface, attach.Types[0])
	frame := WlSurfaceInterface.Requests[WlSurfaceRequestFrame]
	assert.Same(t, WlCallbackInterface, frame.Types[0])
	assert.Same(t, server.CallbackInterface, WlCallbackInterface)
	assert.Equal(t, uint32(6), WlSurfaceInterface.Version)
	assert.Equal(t, uint32(6), WlSurfaceEventPreferredBufferScaleSince)
	assert.True(t, WlSurfaceInterface.Requests[WlSurfaceRequestDestroy].Destructor)
	assert.Equal(t, WlSurfaceError(2), WlSurfaceErrorInvalidSize)
	for _, it := range []*server.Interface{WlSurfaceInterface, WlShmInterface, WlSeatInterface, WlSubsurfaceInterface} {
		for _, m := range append(append([]server.Message{}, it.Requests...), it.Events...) {
			n := 0
			for _, c := range m.Signature {
				if c != '?' {
					n++
				}
			}
			assert.Len(t, m.Types, n, "%s.%s: one Types entry per wire argument", it.Name, m.Name)
		}
	}
}

func BenchmarkDispatchDamageBuffer(b *testing.B) {
	rec := &surfaceRec{}
	h := WlSurfaceDispatcher(rec)
	r := &server.Resource{}
	msg := body(b, WlSurfaceRequestDamageBuffer, func(e *wire.Encoder) { e.Int(0); e.Int(0); e.Int(640); e.Int(480) })
	var dec wire.Decoder
	b.ReportAllocs()
	b.SetBytes(int64(len(msg) + wire.HeaderSize))
	for b.Loop() {
		dec.Reset(msg, nil)
		if err := h.Dispatch(r, WlSurfaceRequestDamageBuffer, &dec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDispatchAttachNull(b *testing.B) {
	rec := &surfaceRec{}
	h := WlSurfaceDispatcher(rec)
	r := &server.Resource{}
	msg := body(b, WlSurfaceRequestAttach, func(e *wire.Encoder) { e.Object(0); e.Int(1); e.Int(2) })
	var dec wire.Decoder
	b.ReportAllocs()
	b.SetBytes(int64(len(msg) + wire.HeaderSize))
	for b.Loop() {
		dec.Reset(msg, nil)
		if err := h.Dispatch(r, WlSurfaceRequestAttach, &dec); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzSurfaceDispatch feeds arbitrary bodies to the wl_surface requests whose
// arguments are plain values: a decode failure must be an error, never a
// panic or a handler call with garbage.
func FuzzSurfaceDispatch(f *testing.F) {
	ops := []uint16{WlSurfaceRequestDamage, WlSurfaceRequestSetBufferTransform, WlSurfaceRequestSetBufferScale, WlSurfaceRequestDamageBuffer, WlSurfaceRequestOffset}
	f.Add(uint8(3), []byte{0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0})
	f.Add(uint8(0), []byte{})
	f.Add(uint8(4), []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, op uint8, b []byte) {
		opcode := ops[int(op)%len(ops)]
		h := WlSurfaceDispatcher(plainSurface{})
		var dec wire.Decoder
		dec.Reset(b, nil)
		err := h.Dispatch(&server.Resource{}, opcode, &dec)
		need := len(WlSurfaceInterface.Requests[opcode].Signature) * 4
		if len(b) < need {
			require.ErrorIs(t, err, wire.ErrMalformed)
		} else {
			require.NoError(t, err)
		}
	})
}

type plainSurface struct{ WlSurfaceHandler }

func (plainSurface) Damage(*server.Resource, int32, int32, int32, int32) error       { return nil }
func (plainSurface) DamageBuffer(*server.Resource, int32, int32, int32, int32) error { return nil }
func (plainSurface) SetBufferTransform(*server.Resource, int32) error                { return nil }
func (plainSurface) SetBufferScale(*server.Resource, int32) error                    { return nil }
func (plainSurface) Offset(*server.Resource, int32, int32) error                     { return nil }

type offerRec struct {
	WlDataOfferHandler
	serial uint32
	mime   string
	ok     bool
}

func (o *offerRec) Accept(_ *server.Resource, serial uint32, mime string, ok bool) error {
	o.serial, o.mime, o.ok = serial, mime, ok
	return nil
}

// Nullable strings reach the handler as (value, present): null and the empty
// string stay distinct, as they are on the wire.
func TestNullableStringDispatch(t *testing.T) {
	tests := []struct {
		name string
		enc  func(e *wire.Encoder)
		mime string
		ok   bool
	}{
		{"null", func(e *wire.Encoder) { e.Uint(9); e.NullString() }, "", false},
		{"empty", func(e *wire.Encoder) { e.Uint(9); e.String("") }, "", true},
		{"text", func(e *wire.Encoder) { e.Uint(9); e.String("text/plain") }, "text/plain", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &offerRec{}
			var dec wire.Decoder
			dec.Reset(body(t, WlDataOfferRequestAccept, tc.enc), nil)
			require.NoError(t, WlDataOfferDispatcher(rec).Dispatch(&server.Resource{}, WlDataOfferRequestAccept, &dec))
			assert.Equal(t, uint32(9), rec.serial)
			assert.Equal(t, tc.mime, rec.mime)
			assert.Equal(t, tc.ok, rec.ok)
		})
	}
}
