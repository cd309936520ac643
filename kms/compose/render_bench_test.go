package compose

import (
	"testing"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// benchRender renders ls into tg repeatedly. MB/s counts the composed
// frame in its 16-bit form, as the Compose benchmarks do, so the two
// compare.
func benchRender(b *testing.B, c *Composer, tg *Target, ls []Layer) {
	b.SetBytes(int64(tg.Width) * int64(tg.Height) * 8)
	b.ReportAllocs()
	if _, err := c.Render(tg, ls); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Render(tg, ls); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/frame")
}

// shmLayer is a w x h wl_shm-like buffer of format f at (x, y), unscaled.
func shmLayer(b *testing.B, f fourcc.Format, w, h int, p Pixel, x, y int32) Layer {
	s := solidSource(b, f, w, h, p, 0, 0)
	return Layer{
		Source: s, Src: device.Rect{X2: int32(w) << 16, Y2: int32(h) << 16},
		Dst: device.Rect{X1: x, Y1: y, X2: x + int32(w), Y2: y + int32(h)}, Alpha: 0xffff,
	}
}

// A full-screen XRGB8888 client buffer into the compositor's two primary
// formats.
func BenchmarkRender1080p(b *testing.B) {
	const w, h = 1920, 1080
	bg := shmLayer(b, fourcc.XRGB8888, w, h, rgb8(0xff, 0x20, 0x40, 0x60), 0, 0)
	for _, tf := range []fourcc.Format{fourcc.XRGB16161616, fourcc.XRGB8888} {
		b.Run("into "+tf.String(), func(b *testing.B) {
			benchRender(b, New(Options{}), newTarget(b, tf, w, h), []Layer{bg})
		})
	}
}

// A desktop of small layers: a background, two ARGB8888 windows (one
// hanging off the right edge), a 1x1 single-pixel buffer scaled to a
// translucent 400x300 panel, and a 16x16 cursor.
func BenchmarkRenderSmallLayers1080p(b *testing.B) {
	const w, h = 1920, 1080
	bg := shmLayer(b, fourcc.XRGB8888, w, h, rgb8(0xff, 0x20, 0x40, 0x60), 0, 0)
	win1 := shmLayer(b, fourcc.ARGB8888, 640, 480, rgb8(0xff, 0x80, 0x80, 0x80), 100, 100)
	win2 := shmLayer(b, fourcc.ARGB8888, 500, 400, rgb8(0xc0, 0x60, 0x30, 0x10), 1700, 500)
	panel := shmLayer(b, fourcc.ARGB8888, 1, 1, rgb8(0x80, 0x40, 0x40, 0x40), 0, 0)
	panel.Dst = device.Rect{X1: 760, Y1: 390, X2: 1160, Y2: 690}
	panel.Alpha = 0xc000
	cur := shmLayer(b, fourcc.ARGB8888, 16, 16, rgb8(0xff, 0xff, 0xff, 0xff), 960, 540)
	cur.Blend = profile.BlendCoverage
	ls := []Layer{bg, win1, win2, panel, cur}
	for _, tf := range []fourcc.Format{fourcc.XRGB16161616, fourcc.XRGB8888} {
		b.Run("into "+tf.String(), func(b *testing.B) {
			benchRender(b, New(Options{}), newTarget(b, tf, w, h), ls)
		})
	}
}
