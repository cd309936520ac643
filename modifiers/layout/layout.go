package layout

import (
	"fmt"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// PlaneLayout is one memory plane of a canonical allocation.
type PlaneLayout struct {
	Kind PlaneKind
	// Main is the colour plane this plane is (Kind Color) or describes
	// (auxiliary kinds).
	Main   int
	Offset uint32 // from the start of the object
	Stride uint32 // bytes per row (the pitch passed to add)
	Rows   uint32 // rows allocated, after rounding to HeightAlign
	Size   uint64 // bytes allocated for this plane

	StrideAlign    uint32 // alignment Compute chose for Stride
	StrideMultiple uint32 // what Validate requires of any stride (1 = none)
	OffsetAlign    uint32 // what Validate requires of the offset (1 = none)
	HeightAlign    uint32 // rows are rounded up to this many
}

// Layout is the canonical single-object allocation of a buffer.
type Layout struct {
	Format        fourcc.Format
	Modifier      modifier.Modifier
	Width, Height uint32
	Planes        []PlaneLayout
	Size          uint64 // size of the object holding every plane
}

// ParamsPlanes returns the planes as a client passes them to
// zwp_linux_buffer_params_v1.add, all in one object of l.Size bytes.
func (l Layout) ParamsPlanes() []Plane {
	out := make([]Plane, len(l.Planes))
	for i, p := range l.Planes {
		out[i] = Plane{Offset: p.Offset, Stride: p.Stride, Size: l.Size}
	}
	return out
}

// Compute returns the canonical allocation of a width x height buffer of
// format info with modifier m: every memory plane, auxiliary planes
// included, packed into one object in plane order. It fails with an *Error
// (errors.Is ErrUnsupportedModifier, ErrOverflow or ErrNoCanonicalLayout
// give the cause) rather than guess.
func Compute(info fourcc.Info, m modifier.Modifier, width, height uint32) (Layout, error) {
	var s spec
	if err := build(&info, m, width, height, &s); err != nil {
		return Layout{}, err
	}
	if s.noCanon != "" {
		return Layout{}, newErr(InvalidFormat, -1, ErrNoCanonicalLayout, fmt.Sprintf("%s with %s: %s", fmtName(&info), modName(m), s.noCanon))
	}
	l := Layout{Format: info.Format, Modifier: m, Width: width, Height: height, Planes: make([]PlaneLayout, s.n)}
	var end uint64
	for i := 0; i < s.n; i++ {
		p := &s.p[i]
		var stride, rows, size uint64
		ok := true
		switch p.mode {
		case modeStrided:
			stride, ok = alignUp(p.minPitch, p.strideAlign)
			rows = p.rows
			if ok {
				size, ok = mulOK(stride, rows)
			}
		case modeCCSGen12:
			stride = divRoundUp(uint64(l.Planes[p.main].Stride), gen12TilesPerLine*128) * gen12CCSLine
			rows = p.rows
			size, ok = mulOK(stride, rows)
			if ok {
				size, ok = alignUp(size, pageSize)
			}
		case modeFixed:
			stride, rows, size = p.canonStride, 1, p.allocBytes
		case modeSized:
			stride, rows, size = p.canonStride, p.rows, p.fixedBytes
		case modeOpaque:
			mp := l.Planes[p.main]
			if p.dccW == 0 {
				return Layout{}, newErr(InvalidFormat, i, ErrNoCanonicalLayout, fmt.Sprintf("plane %d of %s with %s has no size model", i, fmtName(&info), modName(m)))
			}
			stride, ok = alignUp(uint64(mp.Stride)/p.dccW, linearAlign)
			rows = uint64(mp.Rows) / p.dccH
			if ok {
				size, ok = mulOK(stride, rows)
			}
			if ok {
				size, ok = alignUp(max(size, 1), pageSize)
			}
		}
		var off, last uint64
		if ok {
			off, ok = alignUp(end, p.canonOffset)
		}
		if ok {
			end, ok = addOK(off, size)
		}
		if ok {
			// The kernel's rule: offset + stride * rows must fit in 32 bits.
			last, ok = mulOK(stride, rows)
			if ok {
				last, ok = addOK(off, last)
			}
		}
		if !ok || stride > maxU32 || rows > maxU32 || last > maxU32 || off > maxU32 {
			return Layout{}, newErr(InvalidDimensions, i, ErrOverflow, fmt.Sprintf("%s with %s at %dx%d: plane %d does not fit in 32-bit offsets", fmtName(&info), modName(m), width, height, i))
		}
		l.Planes[i] = PlaneLayout{
			Kind: p.kind, Main: p.main,
			Offset: uint32(off), Stride: uint32(stride), Rows: uint32(rows), Size: size,
			StrideAlign: uint32(p.strideAlign), StrideMultiple: uint32(p.strideMul),
			OffsetAlign: uint32(p.offsetAlign), HeightAlign: uint32(p.heightAlign),
		}
	}
	total, ok := alignUp(end, max(s.endAlign, 1))
	if !ok {
		return Layout{}, newErr(InvalidDimensions, -1, ErrOverflow, fmt.Sprintf("%s with %s at %dx%d: total size overflows", fmtName(&info), modName(m), width, height))
	}
	l.Size = total
	return l, nil
}
