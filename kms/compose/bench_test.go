package compose

import (
	"testing"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// benchFrame builds the composition benchmark stacks on intel-like, which has
// tiled primaries and a cursor plane.
func benchFrame(b *testing.B, w, h int, primaryMod modifier.Modifier, overlay, cursor bool) (*env, *device.Frame) {
	e := newEnv(b, "intel-like")
	planes := []device.FramePlane{at(e.fb(fourcc.XRGB8888, w, h, gradient, fbOpts{mod: primaryMod}), 0, 0)}
	if overlay {
		// Uniform pixel alpha 0x80, pre-multiplied content.
		ov := e.fb(fourcc.ARGB8888, w, h, func(x, y int) Pixel { return rgb8(0x80, uint8(x)&0x7f, uint8(y)&0x7f, 0x40) })
		planes = append(planes, at(ov, 0, 0))
	}
	if cursor {
		cur := e.fb(fourcc.ARGB8888, 64, 64, func(x, y int) Pixel {
			if (x-32)*(x-32)+(y-32)*(y-32) > 900 {
				return Pixel{}
			}
			return rgb8(0xff, 0xff, 0xff, 0)
		})
		planes = append(planes, at(cur, int32(w/2), int32(h/2)))
	}
	return e, frame(w, h, planes...)
}

func benchCompose(b *testing.B, e *env, f *device.Frame) {
	b.SetBytes(int64(f.Width) * int64(f.Height) * 8)
	b.ReportAllocs()
	t := device.Target{CRC: true}
	if _, err := e.c.Compose(f, t); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.c.Compose(f, t); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/frame")
}

// (a) one opaque XRGB8888 plane, 1080p.
func BenchmarkComposeOpaque1080p(b *testing.B) {
	e, f := benchFrame(b, 1920, 1080, modifier.Linear, false, false)
	benchCompose(b, e, f)
}

// (b) opaque primary, full-screen ARGB8888 overlay at alpha 0x80, 64x64
// cursor, 1080p.
func BenchmarkComposeOverlayCursor1080p(b *testing.B) {
	e, f := benchFrame(b, 1920, 1080, modifier.Linear, true, true)
	benchCompose(b, e, f)
}

// (c) case (b) with a Y-tiled primary.
func BenchmarkComposeOverlayCursorYTiled1080p(b *testing.B) {
	e, f := benchFrame(b, 1920, 1080, modifier.IntelYTiled, true, true)
	benchCompose(b, e, f)
}

// (d) case (b) at 3840x2160.
func BenchmarkComposeOverlayCursor4K(b *testing.B) {
	e, f := benchFrame(b, 3840, 2160, modifier.Linear, true, true)
	benchCompose(b, e, f)
}

// CRC alone over a 1080p frame of u16 pixels, the floor under every case.
func BenchmarkCRCRows1080p(b *testing.B) {
	row := make([]byte, 1920*8)
	b.SetBytes(int64(len(row)) * 1080)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var v uint32
		for y := 0; y < 1080; y++ {
			v = crcLE(v, row)
		}
		_ = v
	}
}
