package pixfmt

import (
	"errors"
	"sort"

	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// Pixel is VKMS's struct pixel_argb_u16: on little-endian machines its
// memory is A,R,G,B as LE u16, the bytes the CRC hashes.
type Pixel struct{ A, R, G, B uint16 }

// Plane is one colour plane as linear rows: Data starts at the plane's first
// pixel of row 0.
type Plane struct {
	Data   []byte
	Stride int
}

// Image is a framebuffer's colour planes (only the format's NumPlanes are
// used) and its size in pixels.
type Image struct {
	Planes        [4]Plane
	Width, Height int
}

// ErrUnsupported is wrapped by NewReader and NewWriter for formats (or
// colour encodings and ranges) they have no conversion for.
var ErrUnsupported = errors.New("pixfmt: unsupported format")

// Expand is DIV_ROUND_CLOSEST(v*65535, 2^bits-1): an n-bit unorm channel
// widened to 16 bits. bits outside 1..16 give 0; v is masked to bits.
func Expand(v uint32, bits int) uint16 {
	if bits < 1 || bits > 16 {
		return 0
	}
	maxv := uint64(1)<<uint(bits) - 1
	x := uint64(v) & maxv
	return uint16((x*65535 + maxv/2) / maxv)
}

// Compress is DIV_ROUND_CLOSEST(v*(2^bits-1), 65535): a 16-bit channel
// narrowed to n bits. bits outside 1..16 give 0.
func Compress(v uint16, bits int) uint32 {
	if bits < 1 || bits > 16 {
		return 0
	}
	maxv := uint64(1)<<uint(bits) - 1
	return uint32((uint64(v)*maxv + 32767) / 65535)
}

// expandLUT[b] holds Expand(v, b) for every v of b bits, b in 1..10, so the
// per-pixel paths index instead of divide.
var expandLUT [11][]uint16

func init() {
	for b := 1; b <= 10; b++ {
		t := make([]uint16, 1<<uint(b))
		for v := range t {
			t[v] = Expand(uint32(v), b)
		}
		expandLUT[b] = t
	}
}

// chanDesc places one channel in a packed little-endian pixel word.
type chanDesc struct{ shift, bits uint8 }

// rgbDesc is the layout of a packed RGB format: bytes per pixel, the r, g,
// b channels, the alpha (or padding, when alpha is false) channel, and
// whether channels are half floats.
type rgbDesc struct {
	cpp     int
	r, g, b chanDesc
	a       chanDesc // alpha, or the X padding bits
	alpha   bool
	half    bool
}

func c(shift, bits uint8) chanDesc { return chanDesc{shift, bits} }

// rgbFormats is the layout of every packed RGB format, from drm_fourcc.h's
// "[31:0] x:R:G:B" notation: the first letter is the most significant field
// of the little-endian word.
var rgbFormats = map[fourcc.Format]rgbDesc{
	fourcc.XRGB8888: {4, c(16, 8), c(8, 8), c(0, 8), c(24, 8), false, false},
	fourcc.ARGB8888: {4, c(16, 8), c(8, 8), c(0, 8), c(24, 8), true, false},
	fourcc.XBGR8888: {4, c(0, 8), c(8, 8), c(16, 8), c(24, 8), false, false},
	fourcc.ABGR8888: {4, c(0, 8), c(8, 8), c(16, 8), c(24, 8), true, false},
	fourcc.RGBX8888: {4, c(24, 8), c(16, 8), c(8, 8), c(0, 8), false, false},
	fourcc.RGBA8888: {4, c(24, 8), c(16, 8), c(8, 8), c(0, 8), true, false},
	fourcc.BGRX8888: {4, c(8, 8), c(16, 8), c(24, 8), c(0, 8), false, false},
	fourcc.BGRA8888: {4, c(8, 8), c(16, 8), c(24, 8), c(0, 8), true, false},
	fourcc.RGB888:   {3, c(16, 8), c(8, 8), c(0, 8), c(0, 0), false, false},
	fourcc.BGR888:   {3, c(0, 8), c(8, 8), c(16, 8), c(0, 0), false, false},
	fourcc.RGB565:   {2, c(11, 5), c(5, 6), c(0, 5), c(0, 0), false, false},
	fourcc.BGR565:   {2, c(0, 5), c(5, 6), c(11, 5), c(0, 0), false, false},
	fourcc.XRGB1555: {2, c(10, 5), c(5, 5), c(0, 5), c(15, 1), false, false},
	fourcc.ARGB1555: {2, c(10, 5), c(5, 5), c(0, 5), c(15, 1), true, false},

	fourcc.XRGB2101010: {4, c(20, 10), c(10, 10), c(0, 10), c(30, 2), false, false},
	fourcc.ARGB2101010: {4, c(20, 10), c(10, 10), c(0, 10), c(30, 2), true, false},
	fourcc.XBGR2101010: {4, c(0, 10), c(10, 10), c(20, 10), c(30, 2), false, false},
	fourcc.ABGR2101010: {4, c(0, 10), c(10, 10), c(20, 10), c(30, 2), true, false},

	fourcc.XRGB16161616: {8, c(32, 16), c(16, 16), c(0, 16), c(48, 16), false, false},
	fourcc.ARGB16161616: {8, c(32, 16), c(16, 16), c(0, 16), c(48, 16), true, false},
	fourcc.XBGR16161616: {8, c(0, 16), c(16, 16), c(32, 16), c(48, 16), false, false},
	fourcc.ABGR16161616: {8, c(0, 16), c(16, 16), c(32, 16), c(48, 16), true, false},

	fourcc.XRGB16161616F: {8, c(32, 16), c(16, 16), c(0, 16), c(48, 16), false, true},
	fourcc.ARGB16161616F: {8, c(32, 16), c(16, 16), c(0, 16), c(48, 16), true, true},
	fourcc.XBGR16161616F: {8, c(0, 16), c(16, 16), c(32, 16), c(48, 16), false, true},
	fourcc.ABGR16161616F: {8, c(0, 16), c(16, 16), c(32, 16), c(48, 16), true, true},
}

// greyFormats maps the single-channel formats to their bits per pixel.
var greyFormats = map[fourcc.Format]int{
	fourcc.R1: 1, fourcc.R2: 2, fourcc.R4: 4, fourcc.R8: 8,
}

// yuvDesc is the layout of a YUV format.
type yuvDesc struct {
	planes     int  // 2: Y + interleaved chroma, 3: Y, Cb/Cr, Cr/Cb
	swap       bool // Cr before Cb (NV21, NV61, NV42, YVU*)
	hsub, vsub int
	ten        bool // P010: 16-bit words, 10 bits MSB-aligned
}

var yuvFormats = map[fourcc.Format]yuvDesc{
	fourcc.NV12:   {2, false, 2, 2, false},
	fourcc.NV21:   {2, true, 2, 2, false},
	fourcc.NV16:   {2, false, 2, 1, false},
	fourcc.NV61:   {2, true, 2, 1, false},
	fourcc.NV24:   {2, false, 1, 1, false},
	fourcc.NV42:   {2, true, 1, 1, false},
	fourcc.YUV420: {3, false, 2, 2, false},
	fourcc.YVU420: {3, true, 2, 2, false},
	fourcc.YUV422: {3, false, 2, 1, false},
	fourcc.YVU422: {3, true, 2, 1, false},
	fourcc.YUV444: {3, false, 1, 1, false},
	fourcc.YVU444: {3, true, 1, 1, false},
	fourcc.P010:   {2, false, 2, 2, true},
}

func sortedFormats(extra ...map[fourcc.Format]struct{}) []fourcc.Format {
	var out []fourcc.Format
	for _, m := range extra {
		for f := range m {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func keys[V any](m map[fourcc.Format]V) map[fourcc.Format]struct{} {
	out := make(map[fourcc.Format]struct{}, len(m))
	for f := range m {
		out[f] = struct{}{}
	}
	return out
}

// ReaderFormats lists the formats NewReader accepts, sorted by code.
func ReaderFormats() []fourcc.Format {
	return sortedFormats(keys(rgbFormats), keys(greyFormats), keys(yuvFormats))
}

// WriterFormats lists the formats NewWriter accepts, sorted by code.
func WriterFormats() []fourcc.Format {
	return sortedFormats(keys(rgbFormats), map[fourcc.Format]struct{}{fourcc.R8: {}}, keys(yuvFormats))
}

func validYUV(enc profile.ColorEncoding, rng profile.ColorRange) bool {
	return enc <= profile.BT2020 && rng <= profile.RangeFull
}
