package wire

import "testing"

// wl_surface.damage_buffer: four ints.
func BenchmarkEncodeDamageBuffer(b *testing.B) {
	buf := make([]byte, 0, 64)
	var e Encoder
	b.ReportAllocs()
	b.SetBytes(HeaderSize + 16)
	for i := 0; i < b.N; i++ {
		e.Begin(buf[:0], nil, 12, 9)
		e.Int(0)
		e.Int(0)
		e.Int(1920)
		e.Int(1080)
		if _, _, err := e.Finish(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeDamageBuffer(b *testing.B) {
	var e Encoder
	e.Begin(nil, nil, 12, 9)
	e.Int(0)
	e.Int(0)
	e.Int(1920)
	e.Int(1080)
	msg, _, _ := e.Finish()
	var d Decoder
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	var sum int32
	for i := 0; i < b.N; i++ {
		h, err := ParseHeader(msg)
		if err != nil {
			b.Fatal(err)
		}
		d.Reset(msg[HeaderSize:h.Size], nil)
		x, _ := d.Int()
		y, _ := d.Int()
		w, _ := d.Int()
		hh, err := d.Int()
		if err != nil {
			b.Fatal(err)
		}
		sum += x + y + w + hh
	}
	if sum == 0 {
		b.Fatal("nothing decoded")
	}
}

// wl_registry.global: uint name, string interface, uint version.
func BenchmarkEncodeRegistryGlobal(b *testing.B) {
	buf := make([]byte, 0, 64)
	var e Encoder
	e.Begin(nil, nil, 2, 0)
	e.Uint(7)
	e.String("zwp_linux_dmabuf_v1")
	e.Uint(5)
	msg, _, _ := e.Finish()
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		e.Begin(buf[:0], nil, 2, 0)
		e.Uint(7)
		e.String("zwp_linux_dmabuf_v1")
		e.Uint(5)
		if _, _, err := e.Finish(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeRegistryGlobal(b *testing.B) {
	var e Encoder
	e.Begin(nil, nil, 2, 0)
	e.Uint(7)
	e.String("zwp_linux_dmabuf_v1")
	e.Uint(5)
	msg, _, _ := e.Finish()
	var d Decoder
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		h, err := ParseHeader(msg)
		if err != nil {
			b.Fatal(err)
		}
		d.Reset(msg[HeaderSize:h.Size], nil)
		d.Uint()
		iface, _ := d.StringBytes()
		v, err := d.Uint()
		if err != nil || v != 5 || len(iface) != 19 {
			b.Fatal("bad decode", err)
		}
	}
}

// A message with an fd in the middle, decoded through the fd cursor.
func BenchmarkDecodeWithFD(b *testing.B) {
	var e Encoder
	e.Begin(nil, nil, 9, 1)
	e.Uint(1)
	e.FD(3)
	e.Uint(4096)
	msg, fds, _ := e.Finish()
	cur := &FDCursor{}
	var d Decoder
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		cur.FDs, cur.Next = fds, 0
		d.Reset(msg[HeaderSize:], cur)
		d.Uint()
		if _, err := d.FD(); err != nil {
			b.Fatal(err)
		}
		d.Uint()
	}
}

func BenchmarkValidateBind(b *testing.B) {
	var e Encoder
	e.Begin(nil, nil, 2, 0)
	e.Uint(7)
	e.UntypedNewID("zwp_linux_dmabuf_v1", 5, 12)
	msg, _, _ := e.Finish()
	body := msg[HeaderSize:]
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		if _, err := Validate("usun", body, 0); err != nil {
			b.Fatal(err)
		}
	}
}
