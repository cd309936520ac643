package layout

import (
	"fmt"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// Plane is one plane as a client supplied it through
// zwp_linux_buffer_params_v1.add.
type Plane struct {
	Offset uint32
	Stride uint32
	// Size is the size of the object (dma-buf) the plane lives in, as
	// lseek(SEEK_END) reports it; 0 means unknown and skips the checks
	// against the object's end, as every compositor does when lseek fails.
	Size uint64
}

// Validate checks client-supplied planes for a width x height buffer of
// format info with modifier m. It returns nil or an *Error naming the
// first rule that failed; the order of the checks is documented in doc.go
// and is part of the contract. The success path does not allocate.
func Validate(info fourcc.Info, m modifier.Modifier, width, height uint32, planes []Plane) error {
	var s spec
	if err := build(&info, m, width, height, &s); err != nil {
		return err
	}
	if len(planes) != s.n {
		return newErr(Incomplete, -1, nil, fmt.Sprintf("%s with %s needs %d planes, got %d", fmtName(&info), modName(m), s.n, len(planes)))
	}
	for i := 0; i < s.n; i++ {
		if err := checkPlane(&info, &s, i, planes); err != nil {
			return err
		}
	}
	return nil
}

// need returns the bytes a plane occupies from its offset; needText says
// how that number came about, for messages.
func (p *planeSpec) need(stride uint64) (uint64, bool) {
	switch p.mode {
	case modeStrided, modeCCSGen12:
		return mulOK(stride, p.rows)
	case modeFixed, modeSized:
		return p.fixedBytes, true
	}
	return max(stride, 1), true
}

func (p *planeSpec) needText(i int, off, stride uint64) string {
	switch p.mode {
	case modeStrided, modeCCSGen12:
		return fmt.Sprintf("plane %d: offset %d + stride %d * %d rows", i, off, stride, p.rows)
	case modeFixed:
		return fmt.Sprintf("plane %d: offset %d + %s %d bytes", i, off, p.kind, p.fixedBytes)
	case modeSized:
		return fmt.Sprintf("plane %d: offset %d + %s %d bytes (header and payload)", i, off, p.tiling, p.fixedBytes)
	}
	return fmt.Sprintf("plane %d: offset %d + stride %d", i, off, stride)
}

func checkPlane(info *fourcc.Info, s *spec, i int, planes []Plane) *Error {
	p := &s.p[i]
	pl := planes[i]
	off, stride := uint64(pl.Offset), uint64(pl.Stride)

	// 1. 32-bit range: offset + stride, then offset + the bytes the plane
	//    spans (kernel framebuffer_check; wlroots checks every plane).
	if off+stride > maxU32 {
		return newErr(OutOfBounds, i, ErrOverflow, fmt.Sprintf("plane %d: offset %d + stride %d = %d > UINT32_MAX", i, off, stride, off+stride))
	}
	need, ok := p.need(stride)
	end := off + need // need <= 2^64 only if ok; checked below
	if !ok || need > maxU32 || end > maxU32 {
		return newErr(OutOfBounds, i, ErrOverflow, fmt.Sprintf("%s > UINT32_MAX", p.needText(i, off, stride)))
	}

	// 2. Stride rules.
	if p.mode != modeFixed {
		if stride == 0 {
			return newErr(InvalidLayout, i, nil, fmt.Sprintf("plane %d: stride 0", i))
		}
		if p.minPitch > 0 && stride < p.minPitch {
			return newErr(InvalidLayout, i, nil, fmt.Sprintf("plane %d: stride %d < minimum pitch %d (%s, %d px wide)", i, stride, p.minPitch, fmtName(info), p.width))
		}
		if p.strideMul > 1 && stride%p.strideMul != 0 {
			return newErr(InvalidLayout, i, nil, fmt.Sprintf("plane %d: stride %d is not a multiple of %d bytes (%s)", i, stride, p.strideMul, p.tiling))
		}
		if p.mode == modeCCSGen12 {
			mainStride := uint64(planes[p.main].Stride)
			want := divRoundUp(mainStride, gen12TilesPerLine*128) * gen12CCSLine
			if stride != want {
				return newErr(InvalidLayout, i, nil, fmt.Sprintf("plane %d: CCS stride %d != DIV_ROUND_UP(plane %d stride %d, 512) * 64 = %d (i915 gen12_ccs_aux_stride)", i, stride, p.main, mainStride, want))
			}
		}
	}

	// 3. Offset alignment.
	if p.offsetAlign > 1 && off%p.offsetAlign != 0 {
		return newErr(InvalidLayout, i, nil, fmt.Sprintf("plane %d: offset %d is not a multiple of %d (%s)", i, off, p.offsetAlign, p.tiling))
	}

	// 4. The object's end, when known (weston, wlroots, smithay and kwin
	//    check offset, offset + stride and offset + stride * height; headway
	//    checks all three on every plane, with the rows of that plane).
	size := pl.Size
	if size == 0 {
		return nil
	}
	if off >= size {
		return newErr(OutOfBounds, i, nil, fmt.Sprintf("plane %d: offset %d >= object size %d", i, off, size))
	}
	if p.mode != modeFixed && off+stride > size {
		return newErr(OutOfBounds, i, nil, fmt.Sprintf("plane %d: offset %d + stride %d = %d > object size %d", i, off, stride, off+stride, size))
	}
	if end > size {
		return newErr(OutOfBounds, i, nil, fmt.Sprintf("%s = %d > object size %d", p.needText(i, off, stride), end, size))
	}
	if s.objAlign > 1 && size%s.objAlign != 0 {
		return newErr(InvalidLayout, i, nil, fmt.Sprintf("plane %d: object size %d is not a multiple of %d (Intel BMG CCS)", i, size, s.objAlign))
	}
	return nil
}
