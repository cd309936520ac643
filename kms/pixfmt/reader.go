package pixfmt

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// kind selects a Reader's or Writer's loop once per span.
type kind uint8

const (
	kindXRGB8888 kind = iota // hot path
	kindARGB8888             // hot path
	kindPacked               // any other packed RGB
	kindGrey                 // R1, R2, R4, R8
	kindYUV
)

// chanRead extracts and widens one channel of a packed word.
type chanRead struct {
	shift uint8
	mask  uint64
	lut   []uint16 // nil: the channel is 16-bit unorm and copies
}

func (c *chanRead) get(w uint64) uint16 {
	v := w >> c.shift & c.mask
	if c.lut == nil {
		return uint16(v)
	}
	return c.lut[v]
}

// Reader converts one format's pixels to Pixel. It is immutable after
// NewReader, so one Reader serves any number of goroutines.
type Reader struct {
	format fourcc.Format
	kind   kind
	alpha  bool
	bits   [4]int
	cpp    int
	ch     [4]chanRead // r, g, b, a
	grey   int         // bits per pixel of R1..R8
	yuv    yuvDesc
	conv   *yuvConv
	lut    *[3][3][256]int64 // conv's products for 8-bit samples
	tables YUVTables
}

func newChanRead(cd chanDesc, half []uint16) chanRead {
	cr := chanRead{shift: cd.shift, mask: uint64(1)<<cd.bits - 1}
	switch {
	case half != nil:
		cr.lut = half
	case cd.bits < 16:
		cr.lut = expandLUT[cd.bits]
	}
	return cr
}

// NewReader builds the reader for f with mainline VKMS's YUV tables
// (TablesMainline256). enc and rng matter for YUV formats only (and must
// then be valid); other formats ignore them.
func NewReader(f fourcc.Format, enc profile.ColorEncoding, rng profile.ColorRange) (*Reader, error) {
	return NewReaderTables(f, enc, rng, TablesMainline256)
}

// NewReaderTables is NewReader with the YUV coefficient tables named: the
// choice belongs to the reader, not to the package, so devices modelling
// different kernels can read side by side. Non-YUV formats ignore it.
func NewReaderTables(f fourcc.Format, enc profile.ColorEncoding, rng profile.ColorRange, t YUVTables) (*Reader, error) {
	if t >= numTables {
		return nil, fmt.Errorf("pixfmt: reader for %v: tables %v: %w", f, t, ErrUnsupported)
	}
	r := &Reader{format: f, tables: t}
	if d, ok := rgbFormats[f]; ok {
		r.kind = kindPacked
		switch f {
		case fourcc.XRGB8888:
			r.kind = kindXRGB8888
		case fourcc.ARGB8888:
			r.kind = kindARGB8888
		}
		var half []uint16
		if d.half {
			half, _ = halfTables()
		}
		r.cpp = d.cpp
		r.alpha = d.alpha
		r.ch[0] = newChanRead(d.r, half)
		r.ch[1] = newChanRead(d.g, half)
		r.ch[2] = newChanRead(d.b, half)
		r.ch[3] = newChanRead(d.a, half)
		r.bits = [4]int{int(d.r.bits), int(d.g.bits), int(d.b.bits), 0}
		if d.alpha {
			r.bits[3] = int(d.a.bits)
		}
		return r, nil
	}
	if b, ok := greyFormats[f]; ok {
		r.kind = kindGrey
		r.grey = b
		r.bits = [4]int{b, b, b, 0}
		return r, nil
	}
	if d, ok := yuvFormats[f]; ok {
		if !validYUV(enc, rng) {
			return nil, fmt.Errorf("pixfmt: reader for %v: encoding %d, range %d: %w", f, enc, rng, ErrUnsupported)
		}
		r.kind = kindYUV
		r.yuv = d
		r.conv = conv(t, enc, rng)
		if !d.ten {
			r.lut = r.conv.lut8()
		}
		return r, nil
	}
	return nil, fmt.Errorf("pixfmt: reader for %v: %w", f, ErrUnsupported)
}

// Format is the format the reader was built for.
func (r *Reader) Format() fourcc.Format { return r.format }

// Tables is the YUV coefficient table set the reader was built with.
func (r *Reader) Tables() YUVTables { return r.tables }

// YUV reports whether the format stores YCbCr samples.
func (r *Reader) YUV() bool { return r.kind == kindYUV }

// HasAlpha reports whether the format stores a per-pixel alpha.
func (r *Reader) HasAlpha() bool { return r.alpha }

// Bits is the depth of the stored channels: 0 for channels the format does
// not store (alpha of X formats, everything of YUV formats); R formats give
// their depth for each of red, green and blue.
func (r *Reader) Bits() (red, green, blue, alpha int) {
	return r.bits[0], r.bits[1], r.bits[2], r.bits[3]
}

// ReadSpan converts len(out) pixels from (x, y) rightwards.
func (r *Reader) ReadSpan(img *Image, x, y int, out []Pixel) {
	if len(out) == 0 {
		return
	}
	switch r.kind {
	case kindXRGB8888, kindARGB8888:
		p := &img.Planes[0]
		off := y*p.Stride + 4*x
		d := p.Data[off : off+4*len(out)]
		switch {
		case !HostLE:
			read8888Safe(d, out, r.kind == kindARGB8888)
		case r.kind == kindXRGB8888:
			readXRGB8888(d, out)
		default:
			readARGB8888(d, out)
		}
	default:
		r.read(img, x, y, 1, 0, out)
	}
}

// ReadColumn converts len(out) pixels from (x, y) downwards.
func (r *Reader) ReadColumn(img *Image, x, y int, out []Pixel) {
	if len(out) == 0 {
		return
	}
	r.read(img, x, y, 0, 1, out)
}

// At converts the pixel at (x, y).
func (r *Reader) At(img *Image, x, y int) Pixel {
	var px [1]Pixel
	r.read(img, x, y, 1, 0, px[:])
	return px[0]
}

// read is the general loop: pixel i is at (x+i*dx, y+i*dy).
func (r *Reader) read(img *Image, x, y, dx, dy int, out []Pixel) {
	switch r.kind {
	case kindXRGB8888, kindARGB8888, kindPacked:
		r.readPacked(&img.Planes[0], x, y, dx, dy, out)
	case kindGrey:
		r.readGrey(&img.Planes[0], x, y, dx, dy, out)
	case kindYUV:
		r.readYUV(img, x, y, dx, dy, out)
	}
}

func (r *Reader) unpack(w uint64) Pixel {
	px := Pixel{
		R: r.ch[0].get(w),
		G: r.ch[1].get(w),
		B: r.ch[2].get(w),
		A: 0xffff,
	}
	if r.alpha {
		px.A = r.ch[3].get(w)
	}
	return px
}

// readPacked loads exactly cpp bytes per pixel, so the last pixel of a
// plane never reads past its own bytes.
func (r *Reader) readPacked(p *Plane, x, y, dx, dy int, out []Pixel) {
	cpp := r.cpp
	off := y*p.Stride + x*cpp
	step := dx*cpp + dy*p.Stride
	d := p.Data
	switch cpp {
	case 2:
		for i := range out {
			out[i] = r.unpack(uint64(binary.LittleEndian.Uint16(d[off:])))
			off += step
		}
	case 3:
		for i := range out {
			b := d[off : off+3]
			out[i] = r.unpack(uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16)
			off += step
		}
	case 4:
		for i := range out {
			out[i] = r.unpack(uint64(binary.LittleEndian.Uint32(d[off:])))
			off += step
		}
	case 8:
		for i := range out {
			out[i] = r.unpack(binary.LittleEndian.Uint64(d[off:]))
			off += step
		}
	}
}

// readGrey reads R1..R8: pixel 0 of each byte is in its most significant
// bits ("[7:0] R0:R1:..." in drm_fourcc.h).
func (r *Reader) readGrey(p *Plane, x, y, dx, dy int, out []Pixel) {
	bits := r.grey
	mask := byte(1)<<uint(bits) - 1
	per := 8 / bits
	lut := expandLUT[bits]
	for i := range out {
		xx, yy := x+i*dx, y+i*dy
		b := p.Data[yy*p.Stride+xx/per]
		v := b >> uint(8-bits-(xx%per)*bits) & mask
		g := lut[v]
		out[i] = Pixel{A: 0xffff, R: g, G: g, B: g}
	}
}

// samples returns the raw Y, Cb, Cr samples at (x, y), Cb first whatever
// the format's order; chroma is the sample of the block containing the
// pixel (nearest, as VKMS does). P010 gives its whole 16-bit words, low
// padding bits included, because VKMS converts the words as they are.
func (r *Reader) samples(img *Image, x, y int) (yy, cb, cr int64) {
	d := &r.yuv
	cx, cy := x/d.hsub, y/d.vsub
	p0 := &img.Planes[0]
	if d.ten {
		p1 := &img.Planes[1]
		yy = int64(binary.LittleEndian.Uint16(p0.Data[y*p0.Stride+2*x:]))
		o := cy*p1.Stride + 4*cx
		cb = int64(binary.LittleEndian.Uint16(p1.Data[o:]))
		cr = int64(binary.LittleEndian.Uint16(p1.Data[o+2:]))
		return yy, cb, cr
	}
	yy = int64(p0.Data[y*p0.Stride+x])
	if d.planes == 2 {
		p1 := &img.Planes[1]
		o := cy*p1.Stride + 2*cx
		cb, cr = int64(p1.Data[o]), int64(p1.Data[o+1])
	} else {
		p1, p2 := &img.Planes[1], &img.Planes[2]
		cb = int64(p1.Data[cy*p1.Stride+cx])
		cr = int64(p2.Data[cy*p2.Stride+cx])
	}
	if d.swap {
		cb, cr = cr, cb
	}
	return yy, cb, cr
}

func (r *Reader) readYUV(img *Image, x, y, dx, dy int, out []Pixel) {
	if r.yuv.ten {
		for i := range out {
			yy, cb, cr := r.samples(img, x+i*dx, y+i*dy)
			out[i] = r.conv.rgb16(uint16(yy), uint16(cb), uint16(cr))
		}
		return
	}
	lut := r.lut
	for i := range out {
		yy, cb, cr := r.samples(img, x+i*dx, y+i*dy)
		out[i] = rgb8(lut, uint8(yy), uint8(cb), uint8(cr))
	}
}

// YCbCrAt returns the raw samples at (x, y) of a YUV format, the top 8 bits
// of deeper ones; other formats give zeros.
func (r *Reader) YCbCrAt(img *Image, x, y int) (yy, cb, cr uint8) {
	if r.kind != kindYUV {
		return 0, 0, 0
	}
	a, b, c := r.samples(img, x, y)
	if r.yuv.ten {
		a, b, c = a>>8, b>>8, c>>8
	}
	return uint8(a), uint8(b), uint8(c)
}

// HostLE reports a little-endian machine, where Pixel's memory is one
// little-endian uint64 A | R<<16 | G<<32 | B<<48: the bytes VKMS's CRC
// hashes, and a word the 8888 hot paths and the composer's blend loops
// can load and store whole.
var HostLE = func() bool {
	p := Pixel{A: 1}
	return *(*byte)(unsafe.Pointer(&p)) == 1
}()

// Words views a row of pixels as those uint64 words, without copying;
// only meaningful when HostLE.
func Words(out []Pixel) []uint64 {
	if len(out) == 0 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&out[0])), len(out))
}

// readXRGB8888 is the compositor's hot path. Each byte b lands in its own
// 16-bit lane and x|x<<8 multiplies every lane by 257 at once (no lane
// exceeds 0xff, so nothing carries). len(d) == 4*len(out), len(out) > 0.
func readXRGB8888(d []byte, out []Pixel) {
	u := Words(out)
	d = d[:4*len(u)]
	for i := range u {
		s := d[4*i : 4*i+4 : 4*i+4]
		v := uint64(s[2])<<16 | uint64(s[1])<<32 | uint64(s[0])<<48
		u[i] = v | v<<8 | 0xffff
	}
}

func readARGB8888(d []byte, out []Pixel) {
	u := Words(out)
	d = d[:4*len(u)]
	for i := range u {
		s := d[4*i : 4*i+4 : 4*i+4]
		v := uint64(s[3]) | uint64(s[2])<<16 | uint64(s[1])<<32 | uint64(s[0])<<48
		u[i] = v | v<<8
	}
}

// read8888Safe is the portable form of the two hot paths.
func read8888Safe(d []byte, out []Pixel, alpha bool) {
	d = d[:4*len(out)]
	for i := range out {
		s := d[4*i : 4*i+4 : 4*i+4]
		a := uint16(0xffff)
		if alpha {
			a = uint16(s[3]) * 257
		}
		out[i] = Pixel{A: a, R: uint16(s[2]) * 257, G: uint16(s[1]) * 257, B: uint16(s[0]) * 257}
	}
}
