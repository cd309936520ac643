package compose

import (
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/kms/vblank"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/tiling"
)

// env is a device to create framebuffers on and a composer to compose
// hand-built frames with.
type env struct {
	t    testing.TB
	prof *profile.Profile
	d    *device.Device
	f    *device.File
	c    *Composer
}

func newEnv(t testing.TB, name string) *env {
	t.Helper()
	prof, err := profile.Load(name)
	require.NoError(t, err)
	clk, err := vblank.NewVirtual(16666667)
	require.NoError(t, err)
	d, err := device.New(device.Config{Profile: prof, Clock: clk, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	t.Cleanup(d.Close)
	f := d.Open()
	t.Cleanup(func() { f.Close() })
	return &env{t: t, prof: prof, d: d, f: f, c: New(Options{})}
}

// picture gives the colour of pixel (x, y).
type picture func(x, y int) Pixel

func solid(p Pixel) picture { return func(int, int) Pixel { return p } }

// rgb8 is an 8-bit colour expanded as 8-bit formats expand it.
func rgb8(a, r, g, b uint8) Pixel {
	return Pixel{A: uint16(a) * 257, R: uint16(r) * 257, G: uint16(g) * 257, B: uint16(b) * 257}
}

type fbOpts struct {
	mod modifier.Modifier
	enc profile.ColorEncoding
	rng profile.ColorRange
}

// fb draws pic into a new w x h framebuffer of format f, laid out for the
// modifier as modifiers/layout computes it.
func (e *env) fb(f fourcc.Format, w, h int, pic picture, opts ...fbOpts) *device.Framebuffer {
	e.t.Helper()
	o := fbOpts{mod: modifier.Linear, rng: profile.RangeFull}
	if len(opts) > 0 {
		o = opts[0]
	}
	info, ok := fourcc.Lookup(f)
	require.True(e.t, ok)
	l, err := layout.Compute(info, o.mod, uint32(w), uint32(h))
	require.NoError(e.t, err)
	mem := make([]byte, l.Size)

	// Draw linearly, one colour plane per linear buffer.
	wr, err := pixfmt.NewWriter(f, o.enc, o.rng)
	require.NoError(e.t, err)
	var img pixfmt.Image
	img.Width, img.Height = w, h
	lin := make([][]byte, info.NumPlanes)
	strides := make([]int, info.NumPlanes)
	for p := 0; p < int(info.NumPlanes); p++ {
		pw := info.PlaneWidth(w, p)
		strides[p] = int(info.MinPitch(p, uint32(pw)))
		lin[p] = make([]byte, strides[p]*info.PlaneHeight(h, p))
		img.Planes[p] = pixfmt.Plane{Data: lin[p], Stride: strides[p]}
	}
	row := make([]Pixel, w)
	for y := 0; y < h; y++ {
		for x := range row {
			row[x] = pic(x, y)
		}
		wr.WriteSpan(&img, 0, y, row)
	}
	req := device.FB2{Width: uint32(w), Height: uint32(h), Format: f}
	handle, err := e.f.ImportBuffer(mem)
	require.NoError(e.t, err)
	for i, pl := range l.Planes {
		req.Handles[i], req.Pitches[i], req.Offsets[i] = handle, pl.Stride, pl.Offset
		if o.mod != modifier.Linear {
			req.Modifiers[i] = o.mod
		}
		if pl.Kind != layout.Color {
			continue // auxiliary planes stay zero: uncompressed
		}
		p := pl.Main
		dst := mem[pl.Offset:]
		if o.mod == modifier.Linear {
			for y := 0; y < info.PlaneHeight(h, p); y++ {
				copy(dst[y*int(pl.Stride):], lin[p][y*strides[p]:(y+1)*strides[p]])
			}
			continue
		}
		tl, err := tiling.For(o.mod, int(info.CharPerBlock[p]))
		require.NoError(e.t, err)
		require.NoError(e.t, tl.Tile(dst, int(pl.Stride), lin[p], strides[p], strides[p], info.PlaneHeight(h, p)))
	}
	if o.mod != modifier.Linear {
		req.Flags = device.FBModifiers
	}
	id, err := e.f.AddFB2(req)
	require.NoError(e.t, err)
	fb, err := e.d.Framebuffer(id)
	require.NoError(e.t, err)
	return fb
}

// at is a full-size, opaque-alpha, pre-multiplied plane of fb at (x, y).
func at(fb *device.Framebuffer, x, y int32) device.FramePlane {
	w, h := int32(fb.Width()), int32(fb.Height())
	return device.FramePlane{
		FB:    fb,
		Src:   device.Rect{X2: w << 16, Y2: h << 16},
		Dst:   device.Rect{X1: x, Y1: y, X2: x + w, Y2: y + h},
		Alpha: 0xffff, Blend: profile.BlendPremulti, Rotation: profile.Rotate0,
		ColorRange: profile.RangeFull,
	}
}

func frame(w, h int, planes ...device.FramePlane) *device.Frame {
	for i := range planes {
		if planes[i].ID == 0 {
			planes[i].ID = uint32(100 + i)
		}
		planes[i].Zpos = uint32(i)
	}
	return &device.Frame{CRTCID: 1, Width: w, Height: h, Planes: planes}
}

// crc composes f and returns its CRC.
func (e *env) crc(f *device.Frame) uint32 {
	e.t.Helper()
	v, err := e.c.Compose(f, device.Target{CRC: true})
	require.NoError(e.t, err)
	return v
}

// memfdFB is a w x h framebuffer of format f (4 bytes a pixel) in a memfd
// mapping, and a function that truncates the memfd under the mapping, so
// the next access to the framebuffer's memory faults (SIGBUS).
func (e *env) memfdFB(f fourcc.Format, w, h int) (*device.Framebuffer, func()) {
	t := e.t
	t.Helper()
	fd, err := unix.MemfdCreate("headway-compose-test", 0)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fd) })
	size := w * h * 4
	require.NoError(t, unix.Ftruncate(fd, int64(size)))
	mem, err := unix.Mmap(fd, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Munmap(mem) })
	handle, err := e.f.ImportBuffer(mem)
	require.NoError(t, err)
	id, err := e.f.AddFB2(device.FB2{Width: uint32(w), Height: uint32(h), Format: f, Handles: [4]uint32{handle}, Pitches: [4]uint32{uint32(w * 4)}})
	require.NoError(t, err)
	fb, err := e.d.Framebuffer(id)
	require.NoError(t, err)
	return fb, func() { require.NoError(t, unix.Ftruncate(fd, 0)) }
}
