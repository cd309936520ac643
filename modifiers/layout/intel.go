package layout

import (
	"fmt"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/tiling"
)

func geometryFor(m modifier.Modifier, cpp int) (tiling.Geometry, error) {
	return tiling.GeometryFor(m, cpp)
}

// Format groups the Intel CCS modifiers accept. Sources: i915
// display/intel_fb.c (skl_ccs_formats, gen12_ccs_formats,
// gen12_ccs_cc_formats, gen12_flat_ccs_cc_formats) and the per-modifier
// format checks in display/skl_universal_plane.c.
func isRGB8888(f fourcc.Format) bool {
	return f == fourcc.XRGB8888 || f == fourcc.XBGR8888 || f == fourcc.ARGB8888 || f == fourcc.ABGR8888
}

func isYUVPacked(f fourcc.Format) bool {
	return f == fourcc.YUYV || f == fourcc.YVYU || f == fourcc.UYVY || f == fourcc.VYUY || f == fourcc.XYUV8888
}

func isYUVSemiplanar(f fourcc.Format) bool {
	return f == fourcc.NV12 || f == fourcc.P010 || f == fourcc.P012 || f == fourcc.P016
}

// intelFamily describes how one I915_FORMAT_MOD_* value lays out its aux
// data.
type intelFamily uint8

const (
	intelPlain    intelFamily = iota // X, Y, Yf, 4: colour planes only
	intelGen9CCS                     // Y/Yf CCS: Y-tiled CCS plane, RGB8888 only
	intelGen12Aux                    // GEN12 and MTL: linear CCS plane per colour plane
	intelFlatCCS                     // DG2, LNL, BMG: CCS outside the object
)

type intelDesc struct {
	family intelFamily
	rc, mc bool // render or media compression
	cc     bool // a clear-colour plane follows
	bmg    bool // object size must be a multiple of 64 KiB
	name   string
}

func intelLookup(m modifier.Modifier) (intelDesc, bool) {
	switch m {
	case modifier.IntelXTiled:
		return intelDesc{family: intelPlain, name: "Intel X tiles"}, true
	case modifier.IntelYTiled:
		return intelDesc{family: intelPlain, name: "Intel Y tiles"}, true
	case modifier.IntelYfTiled:
		return intelDesc{family: intelPlain, name: "Intel Yf tiles"}, true
	case modifier.Intel4Tiled:
		return intelDesc{family: intelPlain, name: "Intel Tile4"}, true
	case modifier.IntelYTiledCCS:
		return intelDesc{family: intelGen9CCS, rc: true, name: "Intel Y tiles (CCS)"}, true
	case modifier.IntelYfTiledCCS:
		return intelDesc{family: intelGen9CCS, rc: true, name: "Intel Yf tiles (CCS)"}, true
	case modifier.IntelYTiledGen12RCCCS:
		return intelDesc{family: intelGen12Aux, rc: true, name: "Intel Y tiles (gen12 RC CCS)"}, true
	case modifier.IntelYTiledGen12MCCCS:
		return intelDesc{family: intelGen12Aux, mc: true, name: "Intel Y tiles (gen12 MC CCS)"}, true
	case modifier.IntelYTiledGen12RCCCSCC:
		return intelDesc{family: intelGen12Aux, rc: true, cc: true, name: "Intel Y tiles (gen12 RC CCS CC)"}, true
	case modifier.Intel4TiledDG2RCCCS:
		return intelDesc{family: intelFlatCCS, rc: true, name: "Intel Tile4 (DG2 RC CCS)"}, true
	case modifier.Intel4TiledDG2MCCCS:
		return intelDesc{family: intelFlatCCS, mc: true, name: "Intel Tile4 (DG2 MC CCS)"}, true
	case modifier.Intel4TiledDG2RCCCSCC:
		return intelDesc{family: intelFlatCCS, rc: true, cc: true, name: "Intel Tile4 (DG2 RC CCS CC)"}, true
	case modifier.Intel4TiledMTLRCCCS:
		return intelDesc{family: intelGen12Aux, rc: true, name: "Intel Tile4 (MTL RC CCS)"}, true
	case modifier.Intel4TiledMTLMCCCS:
		return intelDesc{family: intelGen12Aux, mc: true, name: "Intel Tile4 (MTL MC CCS)"}, true
	case modifier.Intel4TiledMTLRCCCSCC:
		return intelDesc{family: intelGen12Aux, rc: true, cc: true, name: "Intel Tile4 (MTL RC CCS CC)"}, true
	case modifier.Intel4TiledLNLCCS:
		return intelDesc{family: intelFlatCCS, name: "Intel Tile4 (LNL CCS)"}, true
	case modifier.Intel4TiledBMGCCS:
		return intelDesc{family: intelFlatCCS, bmg: true, name: "Intel Tile4 (BMG CCS)"}, true
	}
	return intelDesc{}, false
}

const (
	// gen12CCSLine: one 64-byte CCS cache line covers four main tiles
	// side by side (drm_fourcc.h GEN12 comments; intel_fb.c
	// gen12_ccs_aux_stride, intel_fb_stride_alignment).
	gen12CCSLine      = 64
	gen12TilesPerLine = 4
	// gen12CCSRows: one CCS row covers one row of 32-row main tiles
	// (intel_fb.c intel_fb_plane_get_subsampling sets vsub = 32).
	gen12CCSRows = 32
	// intelClearColorBytes is the 256-bit clear-colour structure of
	// drm_fourcc.h (*_RC_CCS_CC); headway allocates a 64-byte cache line.
	intelClearColorBytes      = 32
	intelClearColorAllocBytes = 64
	intelClearColorAlign      = 64
	bmgObjectAlign            = 64 << 10
)

func intelSpec(info *fourcc.Info, m modifier.Modifier, w, h uint32, s *spec) *Error {
	d, ok := intelLookup(m)
	if !ok {
		return unsupported(m, "unknown Intel modifier")
	}
	f := info.Format
	// Format restrictions of the compression modifiers.
	switch {
	case d.family == intelGen9CCS && !isRGB8888(f):
		return intelFormatErr(info, m, "Y/Yf CCS takes only XRGB8888, XBGR8888, ARGB8888 and ABGR8888 (intel_fb.c skl_ccs_formats)")
	case d.family == intelGen12Aux && d.rc && !isRGB8888(f):
		return intelFormatErr(info, m, "gen12/MTL render compression takes only 8888 RGB formats")
	case d.family == intelGen12Aux && d.mc && !isYUVPacked(f) && !isYUVSemiplanar(f):
		return intelFormatErr(info, m, "gen12/MTL media compression takes only YUYV, YVYU, UYVY, VYUY, XYUV8888, NV12 and P010/P012/P016")
	case d.family == intelFlatCCS && d.cc && !isRGB8888(f):
		return intelFormatErr(info, m, "DG2 RC CCS CC takes only 8888 RGB formats (intel_fb.c gen12_flat_ccs_cc_formats)")
	}

	// Every CCS modifier on display version 12+ needs a main stride of four
	// tile widths (intel_fb.c intel_fb_stride_alignment); for LNL/BMG the
	// CCS is not a display concept, so they keep the plain tile width.
	factor := uint64(1)
	if (d.family == intelGen12Aux || d.family == intelFlatCCS) && (d.rc || d.mc) {
		factor = gen12TilesPerLine
	}
	if err := tiledPlanes(info, m, m, w, h, s, factor, intelTileSize, d.name); err != nil {
		return err
	}
	s.endAlign = max(s.endAlign, pageSize)
	nColour := s.n

	switch d.family {
	case intelGen9CCS:
		// Display WA #0531 (skl, bxt, kbl, glk) needs a main stride of 4
		// tiles above 3840 px; the canonical allocation always honours it,
		// the validator does not demand it (it is platform-specific).
		if w > 3840 {
			s.p[0].strideAlign = s.p[0].strideMul * 4
		}
		// The CCS holds 1 byte per 8x16 main pixels and is itself Y-tiled
		// with 128-byte x 32-row tiles (intel_fb.c skl_ccs_formats,
		// intel_tile_width_bytes).
		pw := divRoundUp(uint64(w), 8)
		rows, _ := alignUp(divRoundUp(uint64(h), 16), 32)
		s.add(planeSpec{
			kind: IntelCCS, main: 0, mode: modeStrided,
			width: pw, minPitch: pw, rows: rows,
			strideMul: 128, heightAlign: 32,
			offsetAlign: intelTileSize, canonOffset: intelTileSize,
			tiling: "Intel CCS (Y tiles)",
		})
	case intelGen12Aux:
		for j := 0; j < nColour; j++ {
			rows := divRoundUp(s.p[j].rows, gen12CCSRows) // main rows are whole tiles already
			s.add(planeSpec{
				kind: IntelCCS, main: j, mode: modeCCSGen12,
				width: s.p[j].width, rows: rows,
				strideMul: gen12CCSLine, heightAlign: 1,
				offsetAlign: intelTileSize, canonOffset: intelTileSize,
				tiling: "Intel gen12 CCS",
			})
		}
	}
	if d.cc {
		// The clear colour is consumed by the driver, not scanned out: its
		// pitch is ignored (drm_fourcc.h). Recent i915 wants it 64-byte
		// aligned; older intel_fb.c (intel_fill_fb_info) wanted a page.
		// Headway requires 64 and allocates it page-aligned.
		s.add(planeSpec{
			kind: IntelClearColor, main: 0, mode: modeFixed,
			rows: 1, fixedBytes: intelClearColorBytes, allocBytes: intelClearColorAllocBytes,
			canonStride: intelClearColorAllocBytes,
			offsetAlign: intelClearColorAlign, canonOffset: pageSize,
			tiling: "Intel clear colour",
		})
	}
	if d.bmg {
		s.objAlign = bmgObjectAlign
		s.endAlign = bmgObjectAlign
	}
	return nil
}

func intelFormatErr(info *fourcc.Info, m modifier.Modifier, why string) *Error {
	return newErr(InvalidFormat, -1, nil, fmt.Sprintf("%s with %s: %s", fmtName(info), modName(m), why))
}
