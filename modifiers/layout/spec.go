package layout

import (
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// PlaneKind says what a memory plane holds.
type PlaneKind uint8

// Plane kinds. Auxiliary kinds name the colour plane they describe in
// PlaneLayout.Main.
const (
	// Color is colour plane Main of the format (e.g. Y or CbCr of NV12).
	Color PlaneKind = iota + 1
	// IntelCCS is an Intel colour control surface (render or media
	// compression metadata) for colour plane Main.
	IntelCCS
	// IntelClearColor is the Intel fast-clear colour value (*_RC_CCS_CC).
	IntelClearColor
	// AMDDCC is the single DCC metadata plane of an AMD DCC modifier.
	AMDDCC
	// AMDDisplayDCC is the displayable DCC plane (plane 1) of DCC_RETILE.
	AMDDisplayDCC
	// AMDPipeAlignedDCC is the pipe-aligned DCC plane used for rendering
	// (plane 2) of DCC_RETILE.
	AMDPipeAlignedDCC
	// VivanteTileStatus is the tile-status (TS) buffer of a Vivante TS
	// modifier.
	VivanteTileStatus
)

// String names the kind.
func (k PlaneKind) String() string {
	switch k {
	case Color:
		return "colour"
	case IntelCCS:
		return "Intel CCS"
	case IntelClearColor:
		return "Intel clear colour"
	case AMDDCC:
		return "AMD DCC"
	case AMDDisplayDCC:
		return "AMD displayable DCC"
	case AMDPipeAlignedDCC:
		return "AMD pipe-aligned DCC"
	case VivanteTileStatus:
		return "Vivante tile status"
	}
	return fmt.Sprintf("plane-kind(%d)", uint8(k))
}

// planeMode selects how a plane's stride is checked and how many bytes of
// the object it needs.
type planeMode uint8

const (
	// modeStrided: needs stride*rows bytes; stride checked against
	// minPitch and strideMul.
	modeStrided planeMode = iota
	// modeCCSGen12: like modeStrided, but the stride must equal
	// DIV_ROUND_UP(main stride, 512) * 64 (i915 gen12_ccs_aux_stride).
	modeCCSGen12
	// modeFixed: stride ignored, needs fixedBytes (Intel clear colour).
	modeFixed
	// modeSized: needs fixedBytes whatever the stride (ARM AFBC, whose
	// size follows from the superblock grid, not from the stride).
	modeSized
	// modeOpaque: size unknown to headway; needs at least one byte and
	// one stride's worth of the object.
	modeOpaque
)

const (
	maxU32 = math.MaxUint32
	// linearAlign is the stride and plane-offset alignment the canonical
	// LINEAR allocator uses: 64 bytes is the i915 linear stride alignment
	// (intel_fb.c intel_fb_stride_alignment), is a cache line everywhere,
	// and is a multiple of every cpp in the format table. The validator
	// does not require it: the kernel accepts any pitch >= min pitch.
	linearAlign = 64
	// intelTileSize is the gen3+ GTT tile size; i915 requires the offset
	// of every plane of a tiled framebuffer to be a multiple of it
	// (intel_fb.c intel_fb_offset_to_xy).
	intelTileSize = 4096
	pageSize      = 4096
)

type planeSpec struct {
	kind PlaneKind
	main int
	mode planeMode

	width    uint64 // plane width in pixels, for messages
	minPitch uint64 // minimum stride in bytes; 0 = no minimum
	rows     uint64 // rows the plane spans (already rounded to heightAlign)

	strideMul   uint64 // required stride multiple (validator); 1 = any
	strideAlign uint64 // canonical stride alignment (Compute); multiple of strideMul
	heightAlign uint64 // the rows were rounded up to this
	offsetAlign uint64 // required offset alignment (validator); 1 = none
	canonOffset uint64 // canonical offset alignment (Compute)

	fixedBytes  uint64 // modeFixed, modeSized: bytes the plane needs
	allocBytes  uint64 // modeFixed: bytes Compute allocates
	canonStride uint64 // modeFixed, modeSized: stride Compute reports

	dccW, dccH uint64 // modeOpaque AMD DCC model: main bytes and rows per DCC byte

	tiling string // what the stride multiple comes from, for messages
}

type spec struct {
	n        int
	p        [fourcc.MaxPlanes]planeSpec
	objAlign uint64 // the object size must be a multiple (BMG 64 KiB); 0 = none
	endAlign uint64 // Compute rounds the total size up to this
	noCanon  string // non-empty: Compute refuses, with this reason
}

func (s *spec) add(p planeSpec) *planeSpec {
	if p.strideMul == 0 {
		p.strideMul = 1
	}
	if p.strideAlign == 0 {
		p.strideAlign = p.strideMul
	}
	if p.heightAlign == 0 {
		p.heightAlign = 1
	}
	if p.offsetAlign == 0 {
		p.offsetAlign = 1
	}
	if p.canonOffset == 0 {
		p.canonOffset = linearAlign
	}
	s.p[s.n] = p
	s.n++
	return &s.p[s.n-1]
}

// ---- arithmetic ------------------------------------------------------

func mulOK(a, b uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	return lo, hi == 0
}

func addOK(a, b uint64) (uint64, bool) {
	s, c := bits.Add64(a, b, 0)
	return s, c == 0
}

// alignUp rounds v up to a multiple of a (a >= 1); ok is false on overflow.
func alignUp(v, a uint64) (uint64, bool) {
	if a <= 1 {
		return v, true
	}
	r := v % a
	if r == 0 {
		return v, true
	}
	return addOK(v, a-r)
}

func divRoundUp(a, b uint64) uint64 {
	if b == 0 {
		return 0
	}
	return a/b + min(a%b, 1)
}

// ---- format helpers (kernel drm_fourcc.c semantics) -------------------

func fmtName(info *fourcc.Info) string {
	if info.Name != "" {
		return info.Name
	}
	return fmt.Sprintf("format %#08x", uint32(info.Format))
}

// modName gives libdrm's name and the value; for values without a name
// (package modifier prints them as RAW=0x...) the value alone.
func modName(m modifier.Modifier) string {
	if n := modifier.Name(m); !strings.HasPrefix(n, "RAW") {
		return fmt.Sprintf("modifier %s (%#x)", n, uint64(m))
	}
	return fmt.Sprintf("modifier %#x", uint64(m))
}

func blockW(info *fourcc.Info, i int) uint64 { return uint64(max(info.BlockW[i], 1)) }
func blockH(info *fourcc.Info, i int) uint64 { return uint64(max(info.BlockH[i], 1)) }

// planeWidth, planeHeight and minPitch defer to package fourcc's mirrors
// of drm_format_info_plane_width/height and drm_format_info_min_pitch, so
// the validator and the format table can never disagree.
func planeWidth(info *fourcc.Info, w uint32, i int) uint64 {
	return uint64(info.PlaneWidth(int(w), i))
}

func planeHeight(info *fourcc.Info, h uint32, i int) uint64 {
	return uint64(info.PlaneHeight(int(h), i))
}

func minPitch(info *fourcc.Info, i int, pw uint64) uint64 {
	return info.MinPitch(i, uint32(pw)) // pw <= the frame width, a uint32
}

// cppOf is the byte size of one pixel of plane i for tiled layouts, which
// need whole bytes per pixel.
func cppOf(info *fourcc.Info, i int) (int, bool) {
	c := int(info.CharPerBlock[i])
	if c == 0 || blockW(info, i) != 1 || blockH(info, i) != 1 {
		return 0, false
	}
	return c, true
}

// ---- the per-family rules ---------------------------------------------

// build fills s with the plane rules for info+m at width x height. It does
// not allocate unless it fails.
func build(info *fourcc.Info, m modifier.Modifier, w, h uint32, s *spec) *Error {
	if info.NumPlanes < 1 || int(info.NumPlanes) > fourcc.MaxPlanes {
		return newErr(InvalidFormat, -1, nil, fmt.Sprintf("%s has %d planes; a format has 1 to %d", fmtName(info), info.NumPlanes, fourcc.MaxPlanes))
	}
	if info.HSub == 0 || info.VSub == 0 {
		// Every kernel format has hsub and vsub >= 1; a zero would make
		// the chroma planes zero pixels wide.
		return newErr(InvalidFormat, -1, nil, fmt.Sprintf("%s has subsampling %dx%d; both must be at least 1", fmtName(info), info.HSub, info.VSub))
	}
	if w == 0 || h == 0 {
		return newErr(InvalidDimensions, -1, nil, fmt.Sprintf("%dx%d: width and height must be at least 1", w, h))
	}
	s.endAlign = 1
	var err *Error
	switch m.Vendor() {
	case modifier.VendorNone:
		switch m {
		case modifier.Linear:
			err = linearSpec(info, w, h, s)
		case modifier.Invalid:
			err = implicitSpec(info, w, h, s)
		default:
			err = unsupported(m, "unknown vendor-neutral value")
		}
	case modifier.VendorIntel:
		err = intelSpec(info, m, w, h, s)
	case modifier.VendorAMD:
		err = amdSpec(info, m, w, h, s)
	case modifier.VendorNVIDIA:
		err = nvidiaSpec(info, m, w, h, s)
	case modifier.VendorSamsung:
		err = samsungSpec(info, m, w, h, s)
	case modifier.VendorVivante:
		err = vivanteSpec(info, m, w, h, s)
	case modifier.VendorARM:
		err = armSpec(info, m, w, h, s)
	case modifier.VendorQcom:
		if v := m.Value(); v < 1 || v > 3 {
			err = unsupported(m, "unknown Qualcomm value")
		} else {
			opaqueSpec(info, w, h, s, "Qualcomm UBWC/tiled sizes depend on hardware tables")
		}
	case modifier.VendorBroadcom:
		err = broadcomSpec(info, m, w, h, s)
	case modifier.VendorAllwinner:
		if m != modifier.AllwinnerTiled {
			err = unsupported(m, "unknown Allwinner value")
		} else {
			opaqueSpec(info, w, h, s, "Allwinner tiled plane sizes are not modelled")
		}
	case modifier.VendorAmlogic:
		v := m.Value()
		layout, opts := v&0xff, (v>>8)&0xff
		if v>>16 != 0 || layout < modifier.AmlogicFBCLayoutBasic || layout > modifier.AmlogicFBCLayoutScatter || opts > modifier.AmlogicFBCOptionMemSaving {
			err = unsupported(m, "malformed Amlogic FBC value")
		} else {
			opaqueSpec(info, w, h, s, "Amlogic FBC sizes are not modelled")
		}
	default:
		err = unsupported(m, fmt.Sprintf("unknown vendor %#02x", uint8(m.Vendor())))
	}
	if err != nil {
		return err
	}
	return checkFits(info, w, h, s)
}

func unsupported(m modifier.Modifier, why string) *Error {
	return newErr(InvalidFormat, -1, ErrUnsupportedModifier, fmt.Sprintf("%s: %s", modName(m), why))
}

// checkFits rejects dimensions for which not even the tightest layout fits
// the protocol's 32-bit offsets and strides (kernel framebuffer_check:
// min_pitch > UINT_MAX and height*pitch+offset > UINT_MAX give -ERANGE).
func checkFits(info *fourcc.Info, w, h uint32, s *spec) *Error {
	for i := 0; i < s.n; i++ {
		p := &s.p[i]
		var need uint64
		switch p.mode {
		case modeStrided:
			stride, ok := alignUp(p.minPitch, p.strideMul)
			if ok {
				need, ok = mulOK(stride, p.rows)
			}
			if !ok || stride > maxU32 || need > maxU32 {
				return newErr(InvalidDimensions, i, ErrOverflow, fmt.Sprintf("plane %d of %s at %dx%d: minimum stride %d * %d rows does not fit in 32 bits", i, fmtName(info), w, h, p.minPitch, p.rows))
			}
		case modeSized:
			if p.fixedBytes > maxU32 || p.canonStride > maxU32 {
				return newErr(InvalidDimensions, i, ErrOverflow, fmt.Sprintf("plane %d of %s at %dx%d: %d bytes do not fit in 32 bits", i, fmtName(info), w, h, p.fixedBytes))
			}
		}
	}
	return nil
}

// colourPlanes adds one strided colour plane per format plane.
func colourPlanes(info *fourcc.Info, w, h uint32, s *spec, tmpl planeSpec) {
	for i := 0; i < int(info.NumPlanes); i++ {
		p := tmpl
		p.kind, p.main, p.mode = Color, i, modeStrided
		p.width = planeWidth(info, w, i)
		p.minPitch = minPitch(info, i, p.width)
		p.rows = planeHeight(info, h, i)
		s.add(p)
	}
}

func linearSpec(info *fourcc.Info, w, h uint32, s *spec) *Error {
	for i := 0; i < int(info.NumPlanes); i++ {
		if info.CharPerBlock[i] == 0 {
			// drm_framebuffer.c framebuffer_check: "Format requires non-linear modifier".
			return newErr(InvalidFormat, i, nil, fmt.Sprintf("plane %d of %s has no linear layout (char_per_block 0); it needs a non-linear modifier", i, fmtName(info)))
		}
	}
	colourPlanes(info, w, h, s, planeSpec{strideAlign: linearAlign, canonOffset: linearAlign, tiling: "linear"})
	s.endAlign = linearAlign
	return nil
}

// implicitSpec covers DRM_FORMAT_MOD_INVALID: the layout is private to the
// producing driver, so only what holds for every layout is checked (one
// plane per format plane, stride >= min pitch, rows in bounds), and Compute
// refuses.
func implicitSpec(info *fourcc.Info, w, h uint32, s *spec) *Error {
	colourPlanes(info, w, h, s, planeSpec{tiling: "implicit"})
	s.noCanon = "the implicit modifier (INVALID) has a driver-private layout"
	return nil
}

// opaqueSpec covers families whose plane sizes headway does not model: one
// memory plane per format plane, any non-zero stride, offsets in bounds.
func opaqueSpec(info *fourcc.Info, w, h uint32, s *spec, why string) {
	for i := 0; i < int(info.NumPlanes); i++ {
		s.add(planeSpec{kind: Color, main: i, mode: modeOpaque, width: planeWidth(info, w, i), rows: 1})
	}
	s.noCanon = why
}

// tiledPlanes adds one tiled colour plane per format plane using the tile
// shape that package tiling reports for geomMod.
func tiledPlanes(info *fourcc.Info, m, geomMod modifier.Modifier, w, h uint32, s *spec, strideFactor, offsetAlign uint64, name string) *Error {
	for i := 0; i < int(info.NumPlanes); i++ {
		cpp, ok := cppOf(info, i)
		if !ok {
			return newErr(InvalidFormat, i, nil, fmt.Sprintf("plane %d of %s has no whole-byte pixels (char_per_block %d, block %dx%d); %s cannot tile it", i, fmtName(info), info.CharPerBlock[i], blockW(info, i), blockH(info, i), modName(m)))
		}
		g, gerr := geometryFor(geomMod, cpp)
		if gerr != nil {
			return newErr(InvalidFormat, i, gerr, fmt.Sprintf("plane %d of %s (%d bytes per pixel) with %s", i, fmtName(info), cpp, modName(m)))
		}
		tw, th := uint64(g.TileWidthBytes), uint64(g.TileHeight)
		pw := planeWidth(info, w, i)
		rows, _ := alignUp(planeHeight(info, h, i), th) // < 2^33 + 2^12, cannot wrap
		s.add(planeSpec{
			kind: Color, main: i, mode: modeStrided,
			width: pw, minPitch: minPitch(info, i, pw), rows: rows,
			strideMul: tw * strideFactor, heightAlign: th,
			offsetAlign: offsetAlign, canonOffset: max(tw*th, linearAlign),
			tiling: name,
		})
		s.endAlign = max(s.endAlign, tw*th)
	}
	return nil
}
