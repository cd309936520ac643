package pixfmt

import (
	"encoding/binary"
	"fmt"

	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// Writer stores Pixels in one format. Like Reader it is immutable after
// NewWriter and safe for concurrent use (on disjoint pixels).
type Writer struct {
	format fourcc.Format
	kind   kind
	cpp    int
	ch     [4]chanDesc // r, g, b, a/padding
	alpha  bool
	half   []uint16 // unorm16 -> half bits, for 16161616F
	pad    uint64   // X bits, all ones
	yuv    yuvDesc
	mat    *yuvMat
}

// NewWriter builds the writer for f. enc and rng matter for YUV formats
// only (and must then be valid).
func NewWriter(f fourcc.Format, enc profile.ColorEncoding, rng profile.ColorRange) (*Writer, error) {
	w := &Writer{format: f}
	if d, ok := rgbFormats[f]; ok {
		w.kind = kindPacked
		switch f {
		case fourcc.XRGB8888:
			w.kind = kindXRGB8888
		case fourcc.ARGB8888:
			w.kind = kindARGB8888
		}
		w.cpp = d.cpp
		w.ch = [4]chanDesc{d.r, d.g, d.b, d.a}
		w.alpha = d.alpha
		if d.half {
			_, w.half = halfTables()
		}
		if !d.alpha && d.a.bits > 0 {
			w.pad = (uint64(1)<<d.a.bits - 1) << d.a.shift
		}
		return w, nil
	}
	if f == fourcc.R8 {
		w.kind = kindGrey
		return w, nil
	}
	if d, ok := yuvFormats[f]; ok {
		if !validYUV(enc, rng) {
			return nil, fmt.Errorf("pixfmt: writer for %v: encoding %d, range %d: %w", f, enc, rng, ErrUnsupported)
		}
		w.kind = kindYUV
		w.yuv = d
		w.mat = matrices[matKey{enc, rng, d.ten}]
		return w, nil
	}
	return nil, fmt.Errorf("pixfmt: writer for %v: %w", f, ErrUnsupported)
}

// Format is the format the writer was built for.
func (w *Writer) Format() fourcc.Format { return w.format }

func (w *Writer) enc(v uint16, cd chanDesc) uint64 {
	var s uint64
	switch {
	case w.half != nil:
		s = uint64(w.half[v])
	case cd.bits == 16:
		s = uint64(v)
	case cd.bits == 8:
		s = (uint64(v)*255 + 32767) / 65535
	default:
		s = uint64(Compress(v, int(cd.bits)))
	}
	return s << cd.shift
}

func (w *Writer) pack(p Pixel) uint64 {
	v := w.enc(p.R, w.ch[0]) | w.enc(p.G, w.ch[1]) | w.enc(p.B, w.ch[2]) | w.pad
	if w.alpha {
		v |= w.enc(p.A, w.ch[3])
	}
	return v
}

// WriteSpan stores len(px) pixels from (x, y) rightwards. R8 stores the red
// channel. YUV formats store chroma only for blocks whose top-left pixel is
// in the span, computed from that pixel.
func (w *Writer) WriteSpan(img *Image, x, y int, px []Pixel) {
	if len(px) == 0 {
		return
	}
	switch w.kind {
	case kindXRGB8888, kindARGB8888:
		p := &img.Planes[0]
		off := y*p.Stride + 4*x
		d := p.Data[off : off+4*len(px)]
		alpha := w.kind == kindARGB8888
		for i := range px {
			s := d[4*i : 4*i+4 : 4*i+4]
			q := &px[i]
			// (v+128)/257 is Compress(v, 8): DIV_ROUND_CLOSEST(v*255, 65535).
			s[0] = byte((uint32(q.B) + 128) / 257)
			s[1] = byte((uint32(q.G) + 128) / 257)
			s[2] = byte((uint32(q.R) + 128) / 257)
			s[3] = 0xff
			if alpha {
				s[3] = byte((uint32(q.A) + 128) / 257)
			}
		}
	case kindPacked:
		p := &img.Planes[0]
		off := y*p.Stride + x*w.cpp
		d := p.Data
		switch w.cpp {
		case 2:
			for i := range px {
				binary.LittleEndian.PutUint16(d[off:], uint16(w.pack(px[i])))
				off += 2
			}
		case 3:
			for i := range px {
				v := w.pack(px[i])
				b := d[off : off+3]
				b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16)
				off += 3
			}
		case 4:
			for i := range px {
				binary.LittleEndian.PutUint32(d[off:], uint32(w.pack(px[i])))
				off += 4
			}
		case 8:
			for i := range px {
				binary.LittleEndian.PutUint64(d[off:], w.pack(px[i]))
				off += 8
			}
		}
	case kindGrey:
		p := &img.Planes[0]
		row := p.Data[y*p.Stride+x : y*p.Stride+x+len(px)]
		for i := range px {
			row[i] = byte((uint32(px[i].R)*255 + 32767) / 65535)
		}
	case kindYUV:
		w.writeYUV(img, x, y, px)
	}
}

func (w *Writer) writeYUV(img *Image, x, y int, px []Pixel) {
	d := &w.yuv
	p0 := &img.Planes[0]
	chromaRow := y%d.vsub == 0
	cy := y / d.vsub
	for i := range px {
		xx := x + i
		yv := w.mat.toY(px[i])
		if d.ten {
			binary.LittleEndian.PutUint16(p0.Data[y*p0.Stride+2*xx:], uint16(yv<<6))
		} else {
			p0.Data[y*p0.Stride+xx] = byte(yv)
		}
		if !chromaRow || xx%d.hsub != 0 {
			continue
		}
		cb, cr := w.mat.toC(px[i])
		cx := xx / d.hsub
		switch {
		case d.ten:
			p1 := &img.Planes[1]
			o := cy*p1.Stride + 4*cx
			binary.LittleEndian.PutUint16(p1.Data[o:], uint16(cb<<6))
			binary.LittleEndian.PutUint16(p1.Data[o+2:], uint16(cr<<6))
		case d.planes == 2:
			if d.swap {
				cb, cr = cr, cb
			}
			p1 := &img.Planes[1]
			o := cy*p1.Stride + 2*cx
			p1.Data[o], p1.Data[o+1] = byte(cb), byte(cr)
		default:
			if d.swap {
				cb, cr = cr, cb
			}
			p1, p2 := &img.Planes[1], &img.Planes[2]
			p1.Data[cy*p1.Stride+cx] = byte(cb)
			p2.Data[cy*p2.Stride+cx] = byte(cr)
		}
	}
}
