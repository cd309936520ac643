package layout

import (
	"fmt"
	"math/bits"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// ---- AMD ----------------------------------------------------------------

// amdBlockLog2 gives log2 of the swizzle block size in bytes for a tile
// version and tile mode (drm_fourcc.h AMD_FMT_MOD_TILE_*; Mesa
// src/amd/common/ac_surface.c). ok is false for combinations no driver
// produces.
func amdBlockLog2(ver, tile uint64) (uint, bool) {
	switch ver {
	case modifier.AMDTileVerGFX9, modifier.AMDTileVerGFX10, modifier.AMDTileVerGFX10RBPlus, modifier.AMDTileVerGFX11:
		switch tile {
		case modifier.AMDTileGFX9_64K_S, modifier.AMDTileGFX9_64K_D,
			modifier.AMDTileGFX9_64K_S_X, modifier.AMDTileGFX9_64K_D_X, modifier.AMDTileGFX9_64K_R_X:
			return 16, true
		case modifier.AMDTileGFX11_256K_R_X:
			return 18, ver == modifier.AMDTileVerGFX11
		}
	case modifier.AMDTileVerGFX12:
		switch tile {
		case modifier.AMDTileGFX12_256B_2D:
			return 8, true
		case modifier.AMDTileGFX12_4K_2D:
			return 12, true
		case modifier.AMDTileGFX12_64K_2D:
			return 16, true
		case modifier.AMDTileGFX12_256K_2D:
			return 18, true
		}
	}
	return 0, false
}

// amdBlockName names the swizzle block for messages; constant strings keep
// the validator's success path free of allocations.
func amdBlockName(log2Bytes uint) string {
	switch log2Bytes {
	case 8:
		return "AMD 256 B swizzle blocks"
	case 12:
		return "AMD 4 KiB swizzle blocks"
	case 16:
		return "AMD 64 KiB swizzle blocks"
	}
	return "AMD 256 KiB swizzle blocks"
}

// amdBlockDims splits a 2^log2Bytes-byte 2D block of cpp-byte pixels into
// width (bytes) x height (rows), the width taking the odd bit, which is how
// the 2D swizzle modes are shaped (e.g. 64 KiB at 4 bytes per pixel is
// 128x128 px).
func amdBlockDims(log2Bytes uint, cpp int) (wBytes, hRows uint64) {
	n := log2Bytes - uint(bits.TrailingZeros(uint(cpp)))
	return uint64(cpp) << ((n + 1) / 2), 1 << (n / 2)
}

func amdSpec(info *fourcc.Info, m modifier.Modifier, w, h uint32, s *spec) *Error {
	if uint64(m)>>36&0xfffff != 0 {
		return unsupported(m, "AMD reserved bits 55:36 are set")
	}
	ver, tile := modifier.AMDTileVersion.Get(m), modifier.AMDTile.Get(m)
	lg, ok := amdBlockLog2(ver, tile)
	if !ok {
		return unsupported(m, fmt.Sprintf("AMD tile version %d with tile mode %d", ver, tile))
	}
	dcc, retile := modifier.AMDDCC.Get(m) != 0, modifier.AMDDCCRetile.Get(m) != 0
	if retile && !dcc {
		return unsupported(m, "AMD DCC_RETILE without DCC")
	}
	// GFX12 compression keeps its metadata out of band: one plane even
	// with DCC set (Mesa ac_surface.c ac_modifier_has_dcc excludes GFX12).
	if ver >= modifier.AMDTileVerGFX12 {
		dcc, retile = false, false
	}
	if info.NumPlanes != 1 {
		return newErr(InvalidFormat, -1, nil, fmt.Sprintf("%s with %s: AMD tiled modifiers take single-plane formats only", fmtName(info), modName(m)))
	}
	cpp, ok := cppOf(info, 0)
	if !ok || cpp > 16 || cpp&(cpp-1) != 0 {
		return newErr(InvalidFormat, 0, nil, fmt.Sprintf("%s with %s: AMD swizzle modes need 1, 2, 4, 8 or 16 bytes per pixel", fmtName(info), modName(m)))
	}
	bw, bh := amdBlockDims(lg, cpp)
	rows, _ := alignUp(uint64(h), bh)
	s.add(planeSpec{
		kind: Color, main: 0, mode: modeStrided,
		width: uint64(w), minPitch: minPitch(info, 0, uint64(w)), rows: rows,
		strideMul: bw, heightAlign: bh, canonOffset: 1 << lg,
		tiling: amdBlockName(lg),
	})
	s.endAlign = max(uint64(1)<<lg, pageSize)
	if !dcc {
		return nil
	}
	// Conservative DCC model: one metadata byte per 256-byte block of the
	// main surface, laid out as the 256-byte 2D block grid. Real sizes come
	// from addrlib tables (Mesa ac_surface.c); the validator therefore only
	// asks that every DCC plane starts inside the object.
	dw, dh := amdBlockDims(8, cpp)
	aux := planeSpec{main: 0, mode: modeOpaque, rows: 1, dccW: dw, dccH: dh, canonOffset: pageSize}
	if retile {
		aux.kind = AMDDisplayDCC
		s.add(aux)
		aux.kind = AMDPipeAlignedDCC
		s.add(aux)
	} else {
		aux.kind = AMDDCC
		s.add(aux)
	}
	return nil
}

// ---- NVIDIA ------------------------------------------------------------

const (
	nvBlockLinearBit = 0x10
	nvKnownBits      = 0xf | nvBlockLinearBit | 0xff<<12 | 3<<20 | 1<<22 | 7<<23
	nvCompShift      = 23
)

func nvidiaSpec(info *fourcc.Info, m modifier.Modifier, w, h uint32, s *spec) *Error {
	v := m.Value()
	if m == modifier.NVIDIATegraTiled {
		// 16-byte x 16-row tiles (drm_fourcc.h NVIDIA_TEGRA_TILED).
		for i := 0; i < int(info.NumPlanes); i++ {
			if _, ok := cppOf(info, i); !ok {
				return newErr(InvalidFormat, i, nil, fmt.Sprintf("plane %d of %s has no whole-byte pixels for %s", i, fmtName(info), modName(m)))
			}
			pw := planeWidth(info, w, i)
			rows, _ := alignUp(planeHeight(info, h, i), 16)
			s.add(planeSpec{kind: Color, main: i, mode: modeStrided, width: pw, minPitch: minPitch(info, i, pw), rows: rows,
				strideMul: 16, heightAlign: 16, canonOffset: 256, tiling: "NVIDIA Tegra 16x16 tiles"})
		}
		s.endAlign = 256
		return nil
	}
	if v&nvBlockLinearBit == 0 || v&^uint64(nvKnownBits) != 0 {
		return unsupported(m, "unknown NVIDIA value")
	}
	if g := (v >> 20) & 3; g == 3 {
		return unsupported(m, "NVIDIA GOB kind generation 3 is undefined")
	}
	if c := (v >> nvCompShift) & 7; c > 4 {
		return unsupported(m, fmt.Sprintf("NVIDIA compression %d is undefined", c))
	}
	if (v & 0xf) > 5 {
		return unsupported(m, fmt.Sprintf("NVIDIA block height 2^%d GOBs", v&0xf))
	}
	// Compression state lives in comptags outside the buffer, so the
	// pixel layout is the uncompressed one: ask tiling for that shape.
	plain := modifier.Code(modifier.VendorNVIDIA, v&^(uint64(7)<<nvCompShift))
	return tiledPlanes(info, m, plain, w, h, s, 1, 1, "NVIDIA block linear")
}

// ---- Samsung -----------------------------------------------------------

func samsungSpec(info *fourcc.Info, m modifier.Modifier, w, h uint32, s *spec) *Error {
	switch m {
	case modifier.Samsung16x16Tile:
		opaqueSpec(info, w, h, s, "Samsung 16x16 tile sizes are not modelled")
		return nil
	case modifier.Samsung64x32Tile:
	default:
		return unsupported(m, "unknown Samsung value")
	}
	// NV12MT: NV12 only, 64x32 macroblocks, width a multiple of 128 and
	// height of 32, pitch a multiple of 128 (drm_framebuffer.c
	// framebuffer_check; drm_fourcc.h). The frame test comes first so a
	// frame that is not whole tiles is reported as such.
	if info.Format != fourcc.NV12 {
		return newErr(InvalidFormat, -1, nil, fmt.Sprintf("%s with %s: the 64x32 tiling (NV12MT) exists for NV12 only", fmtName(info), modName(m)))
	}
	if w%128 != 0 || h%32 != 0 {
		return newErr(InvalidDimensions, -1, nil, fmt.Sprintf("%dx%d with %s: width must be a multiple of 128 and height of 32", w, h, modName(m)))
	}
	// framebuffer_check applies that test to every plane's own
	// (subsampled) size, so the half-size chroma plane must be whole tiles
	// too and the smallest NV12MT frame is 256x64. A real driver refuses
	// anything less at ADDFB2, so accepting it here would let a client
	// import a buffer no plane could ever be given.
	for i := 1; i < int(info.NumPlanes); i++ {
		pw, ph := planeWidth(info, w, i), planeHeight(info, h, i)
		if pw%128 != 0 || ph%32 != 0 {
			return newErr(InvalidDimensions, i, nil, fmt.Sprintf(
				"NV12MT chroma plane not whole tiles: plane %d of %dx%d with %s is %dx%d, and framebuffer_check wants every plane a multiple of 128x32 (frames a multiple of 256x64)",
				i, w, h, modName(m), pw, ph))
		}
	}
	if err := tiledPlanes(info, m, m, w, h, s, 2, 1, "Samsung 64x32 tiles (pitch multiple of 128)"); err != nil {
		return err
	}
	return nil
}

// ---- Vivante -----------------------------------------------------------

const (
	vivTSShift   = 48
	vivCompShift = 52
	vivExtMask   = uint64(0xff) << vivTSShift // VIVANTE_MOD_EXT_MASK: TS and compression fields
)

func vivanteSpec(info *fourcc.Info, m modifier.Modifier, w, h uint32, s *spec) *Error {
	v := m.Value()
	base, ts, comp := v&^vivExtMask, (v>>vivTSShift)&0xf, (v>>vivCompShift)&0xf
	if base < 1 || base > 4 || ts > 4 || comp > 1 {
		return unsupported(m, "unknown Vivante value")
	}
	if ts != 0 && info.NumPlanes != 1 {
		return newErr(InvalidFormat, -1, nil, fmt.Sprintf("%s with %s: tile-status modifiers take single-plane formats only", fmtName(info), modName(m)))
	}
	switch base {
	case 1, 2:
		geom := modifier.VivanteTiled
		name := "Vivante 4x4 tiles"
		if base == 2 {
			geom, name = modifier.VivanteSuperTiled, "Vivante 64x64 super tiles"
		}
		if err := tiledPlanes(info, m, geom, w, h, s, 1, 1, name); err != nil {
			return err
		}
	default:
		// Split (multi-pipe) tilings put half the rows at a second offset
		// whose distance headway does not model.
		opaqueSpec(info, w, h, s, "Vivante split tilings are not modelled")
	}
	if ts != 0 {
		// The TS buffer's size depends on the TS encoding and the GPU's
		// cache line; it travels as the next plane (etnaviv).
		s.add(planeSpec{kind: VivanteTileStatus, main: 0, mode: modeOpaque, rows: 1})
		s.noCanon = "Vivante tile-status buffers are not modelled"
	}
	if comp != 0 && s.noCanon == "" {
		s.noCanon = "Vivante DEC400 compression is not modelled"
	}
	return nil
}

// ---- ARM ---------------------------------------------------------------

const (
	afbcKnownBits = 0x1fff
	afrcKnownBits = 0x1ff
	// AFBC sizes, as drm_gem_framebuffer_helper.c (drm_gem_afbc_min_size)
	// and drm_fourcc.h describe them: a 16-byte header per superblock, the
	// header area rounded to 1 KiB (4 KiB with TILED), each superblock's
	// payload rounded to 128 bytes. Every superblock shape holds 256 px.
	afbcHeaderBytes     = 16
	afbcHeaderAlign     = 1024
	afbcTiledHdrAlign   = 4096
	afbcPayloadAlign    = 128
	afbcSuperblockPixel = 256
)

// afbcBPP is bits per pixel of plane i as AFBC sizes it; formats that only
// exist compressed have no char_per_block and get their bit depth from
// drm_gem_afbc_get_bpp's table.
func afbcBPP(info *fourcc.Info, i int) (uint64, bool) {
	if info.CharPerBlock[i] != 0 {
		return divRoundUp(uint64(info.CharPerBlock[i])*8, blockW(info, i)*blockH(info, i)), true
	}
	if i == 0 {
		switch info.Format {
		case fourcc.YUV420_8BIT:
			return 12, true
		case fourcc.YUV420_10BIT:
			return 15, true
		case fourcc.VUY101010:
			return 30, true
		}
	}
	return 0, false
}

func armSpec(info *fourcc.Info, m modifier.Modifier, w, h uint32, s *spec) *Error {
	v := m.Value()
	typ, val := v>>52, v&(1<<52-1)
	switch typ {
	case modifier.ARMTypeAFBC:
		return afbcSpec(info, m, val, w, h, s)
	case modifier.ARMTypeMISC:
		if m != modifier.ARM16x16BlockUInterleaved {
			return unsupported(m, "unknown ARM MISC value")
		}
		opaqueSpec(info, w, h, s, "ARM 16x16 U-interleaved block sizes are not modelled")
		return nil
	case modifier.ARMTypeAFRC:
		p0, p12 := val&modifier.AFRCCUSizeMask, (val>>4)&modifier.AFRCCUSizeMask
		if val&^uint64(afrcKnownBits) != 0 || p0 < modifier.AFRCCUSize16 || p0 > modifier.AFRCCUSize32 || p12 > modifier.AFRCCUSize32 {
			return unsupported(m, "malformed ARM AFRC value")
		}
		if info.NumPlanes > 1 && p12 == 0 {
			return unsupported(m, "ARM AFRC without a coding-unit size for planes 1 and 2")
		}
		opaqueSpec(info, w, h, s, "ARM AFRC coding-unit paging is not modelled")
		return nil
	}
	return unsupported(m, fmt.Sprintf("unknown ARM modifier type %d", typ))
}

func afbcSpec(info *fourcc.Info, m modifier.Modifier, val uint64, w, h uint32, s *spec) *Error {
	bs := val & modifier.AFBCBlockSizeMask
	if val&^uint64(afbcKnownBits) != 0 || bs < modifier.AFBCBlockSize16x16 || bs > modifier.AFBCBlockSize32x8_64x4 {
		return unsupported(m, "malformed ARM AFBC value")
	}
	if bs == modifier.AFBCBlockSize32x8_64x4 && info.NumPlanes < 2 {
		return newErr(InvalidFormat, -1, nil, fmt.Sprintf("%s with %s: the 32x8_64x4 AFBC block size is for multi-plane YUV only", fmtName(info), modName(m)))
	}
	tiled := val&modifier.AFBCTiled != 0
	for i := 0; i < int(info.NumPlanes); i++ {
		bpp, ok := afbcBPP(info, i)
		if !ok {
			return newErr(InvalidFormat, i, nil, fmt.Sprintf("plane %d of %s has no AFBC bit depth", i, fmtName(info)))
		}
		var sbw, sbh uint64
		switch {
		case bs == modifier.AFBCBlockSize16x16:
			sbw, sbh = 16, 16
		case bs == modifier.AFBCBlockSize32x8 || (bs == modifier.AFBCBlockSize32x8_64x4 && i == 0):
			sbw, sbh = 32, 8
		default:
			sbw, sbh = 64, 4
		}
		aw, ah := sbw, sbh
		hdrAlign := uint64(afbcHeaderAlign)
		if tiled {
			// Tiled headers group 8x8 superblocks up to 32 bpp, 4x4 above.
			t := uint64(8)
			if bpp > 32 {
				t = 4
			}
			aw, ah, hdrAlign = aw*t, ah*t, afbcTiledHdrAlign
		}
		pw, ph := planeWidth(info, w, i), planeHeight(info, h, i)
		alignedW, _ := alignUp(pw, aw)
		alignedH, _ := alignUp(ph, ah)
		blocks := (alignedW / sbw) * (alignedH / sbh) // < 2^62
		hdr, ok1 := alignUp(blocks*afbcHeaderBytes, hdrAlign)
		payload, _ := alignUp(bpp*afbcSuperblockPixel/8, afbcPayloadAlign)
		body, ok2 := mulOK(blocks, payload)
		total, ok3 := addOK(hdr, body)
		if !ok1 || !ok2 || !ok3 {
			total = ^uint64(0)
		}
		s.add(planeSpec{
			kind: Color, main: i, mode: modeSized,
			width: pw, rows: alignedH, heightAlign: ah,
			fixedBytes: total, canonStride: divRoundUp(alignedW*bpp, 8),
			canonOffset: pageSize, tiling: "ARM AFBC",
		})
	}
	s.endAlign = pageSize
	return nil
}

// ---- Broadcom ----------------------------------------------------------

func broadcomSpec(info *fourcc.Info, m modifier.Modifier, w, h uint32, s *spec) *Error {
	v := m.Value()
	kind, param := v&0xff, v>>8
	switch {
	case kind >= 2 && kind <= 5: // SAND32..SAND256, parameter = column height
	case (kind == 1 || kind == 6) && param == 0: // VC4_T_TILED, UIF
	default:
		return unsupported(m, "unknown Broadcom value")
	}
	opaqueSpec(info, w, h, s, "Broadcom tiled and SAND layouts are not modelled")
	return nil
}
