package tiling

import (
	"fmt"

	"github.com/headwaywl/headway/modifiers/modifier"
)

// In-tile bit masks. Bit i of a mask set means address bit i of the byte's
// offset inside its tile comes from the next bit of that coordinate (x in
// bytes, or y in rows), lowest coordinate bit first. Each pair covers every
// bit of the tile exactly once.
const (
	// Intel X: 512 B x 8 rows, bytes row-major (drm_fourcc.h
	// I915_FORMAT_MOD_X_TILED; gmmlib CpuSwizzleBlt.c INTEL_TILE_X).
	intelXMaskX, intelXMaskY = 0x1ff, 0xe00
	// Intel Y: 128 B x 32 rows of 16 B OWORD columns, column-major
	// (drm_fourcc.h I915_FORMAT_MOD_Y_TILED; gmmlib INTEL_TILE_Y).
	intelYMaskX, intelYMaskY = 0xe0f, 0x1f0
	// Intel Tile4: 16 B x 4 row blocks, then 64 B x 8 row pieces
	// (drm_fourcc.h I915_FORMAT_MOD_4_TILED; gmmlib INTEL_TILE_4).
	intel4MaskX, intel4MaskY = 0x2cf, 0xd30
	// Intel Yf for 1, 2 or 4, and 8 or 16 bytes per element (gmmlib
	// INTEL_TILE_YF_8, _16/_32, _64/_128; drm_fourcc.h I915_FORMAT_MOD_Yf_TILED).
	intelYf8MaskX, intelYf8MaskY     = 0xa0f, 0x5f0
	intelYf32MaskX, intelYf32MaskY   = 0xa8f, 0x570
	intelYf128MaskX, intelYf128MaskY = 0xacf, 0x530
	// NVIDIA GOB, 64 B x 8 rows in 16 B x 2 row sectors. Tegra K1-TX2
	// (sector layout 0) orders the sectors in Z shape, x first (drm_fourcc.h
	// DRM_FORMAT_MOD_NVIDIA_16BX2_BLOCK; ChromiumOS minigbm tegra.c
	// transfer_tile; yuzu's SWIZZLE_X_BITS/SWIZZLE_Y_BITS). Turing+ with
	// sector layout 1 orders them y first (Mesa src/nouveau/nil copy.rs
	// CopyGOBTuring2D and tiling.rs GOBType::TuringColor2D).
	nvGOBTegraMaskX, nvGOBTegraMaskY   = 0x12f, 0x0d0
	nvGOBTuringMaskX, nvGOBTuringMaskY = 0x14f, 0x0b0
	// Vivante super-tile, in pixel units: 4x4 tiles, grouped 2 wide by 4
	// tall, groups 8 wide by 4 tall, all row-major (drm_fourcc.h
	// DRM_FORMAT_MOD_VIVANTE_SUPER_TILED; Vivante's gc_hal
	// gcmSUPERTILE_OFFSET_X "SuperTileMode 1").
	vivSuperMaskX, vivSuperMaskY = 0x393, 0xc6c
)

// Vivante modifier extension fields (drm_fourcc.h VIVANTE_MOD_TS_MASK and
// VIVANTE_MOD_COMP_DEC400): tile-status fast clear and DEC400 both leave
// pixel data that cannot be read without their side tables.
const (
	vivanteTSMask     = 0xf << 48
	vivanteCompDEC400 = 1 << 52
	vivanteExtMask    = vivanteTSMask | vivanteCompDEC400
)

func build(m modifier.Modifier, cpp int) (*Tiler, error) {
	if cpp <= 0 || cpp > 16 {
		return nil, fmt.Errorf("tiler for %#x: %d bytes per pixel: %w", uint64(m), cpp, ErrUnsupported)
	}
	switch m {
	case modifier.Linear:
		return &Tiler{mod: m, cpp: cpp, kind: kindLinear, geom: Geometry{1, 1}, strideAlign: 1, run: 1}, nil
	case modifier.IntelXTiled:
		return newSwizzle(m, cpp, intelXMaskX, intelXMaskY, 0), nil
	case modifier.IntelYTiled, modifier.IntelYTiledCCS, modifier.IntelYTiledGen12RCCCS,
		modifier.IntelYTiledGen12MCCCS, modifier.IntelYTiledGen12RCCCSCC:
		// The CCS variants keep a Y-tiled main surface; their aux planes are
		// another package's concern.
		return newSwizzle(m, cpp, intelYMaskX, intelYMaskY, 0), nil
	case modifier.Intel4Tiled, modifier.Intel4TiledDG2RCCCS, modifier.Intel4TiledDG2MCCCS,
		modifier.Intel4TiledDG2RCCCSCC, modifier.Intel4TiledMTLRCCCS, modifier.Intel4TiledMTLMCCCS,
		modifier.Intel4TiledMTLRCCCSCC, modifier.Intel4TiledLNLCCS, modifier.Intel4TiledBMGCCS:
		return newSwizzle(m, cpp, intel4MaskX, intel4MaskY, 0), nil
	case modifier.IntelYfTiled, modifier.IntelYfTiledCCS:
		switch cpp {
		case 1:
			return newSwizzle(m, cpp, intelYf8MaskX, intelYf8MaskY, 0), nil
		case 2, 4:
			return newSwizzle(m, cpp, intelYf32MaskX, intelYf32MaskY, 0), nil
		case 8, 16:
			return newSwizzle(m, cpp, intelYf128MaskX, intelYf128MaskY, 0), nil
		}
		return nil, fmt.Errorf("Yf tiling with %d bytes per pixel: %w", cpp, ErrUnsupported)
	case modifier.Samsung64x32Tile:
		// Tile columns come in pairs, so the stride is a multiple of 128
		// (drm_fourcc.h DRM_FORMAT_MOD_SAMSUNG_64_32_TILE: width a multiple of 128).
		return &Tiler{mod: m, cpp: cpp, kind: kindSamsung, geom: Geometry{64, 32}, strideAlign: 128, run: 64}, nil
	}
	switch m.Vendor() {
	case modifier.VendorNVIDIA:
		return buildNVIDIA(m, cpp)
	case modifier.VendorVivante:
		return buildVivante(m, cpp)
	case modifier.VendorARM:
		// DRM_FORMAT_MOD_ARM_CODE puts the type in bits 55:52: AFBC 0, AFRC 2.
		if typ := m.Value() >> 52; typ == modifier.ARMTypeAFBC || typ == modifier.ARMTypeAFRC {
			return nil, fmt.Errorf("ARM modifier %#x: %w", uint64(m), ErrCompressed)
		}
	case modifier.VendorQcom:
		if m == modifier.QcomCompressed {
			return nil, fmt.Errorf("Qualcomm UBWC: %w", ErrCompressed)
		}
	case modifier.VendorAmlogic:
		return nil, fmt.Errorf("Amlogic FBC %#x: %w", uint64(m), ErrCompressed)
	case modifier.VendorAMD:
		if modifier.AMDDCC.Get(m) != 0 {
			return nil, fmt.Errorf("AMD modifier %#x with DCC: %w", uint64(m), ErrCompressed)
		}
	}
	return nil, fmt.Errorf("tiler for %#x: %w", uint64(m), ErrUnsupported)
}

// buildNVIDIA decodes DRM_FORMAT_MOD_NVIDIA_BLOCK_LINEAR_2D(c, s, g, k, h):
// blocks one GOB wide and 2^h GOBs tall, GOBs stacked vertically inside a
// block, blocks row-major across the plane.
func buildNVIDIA(m modifier.Modifier, cpp int) (*Tiler, error) {
	v := m.Value()
	if v&0x10 == 0 {
		return nil, fmt.Errorf("NVIDIA modifier %#x is not block-linear: %w", uint64(m), ErrUnsupported)
	}
	h := v & 0xf
	s := (v >> 22) & 1
	g := (v >> 20) & 3
	c := (v >> 23) & 7
	if c != 0 {
		return nil, fmt.Errorf("NVIDIA block-linear compression %d: %w", c, ErrCompressed)
	}
	// Bits 5-11 are reserved for 3D and array blocks; bits 26 and up are
	// reserved too (newer kernels put a second sector-layout bit there for
	// Blackwell GB20x 8/16-bit surfaces).
	if v&0xfe0 != 0 || v>>26 != 0 {
		return nil, fmt.Errorf("NVIDIA modifier %#x uses reserved fields: %w", uint64(m), ErrUnsupported)
	}
	if h > 5 {
		return nil, fmt.Errorf("NVIDIA block height 2^%d GOBs: %w", h, ErrUnsupported)
	}
	blockMask := uint32(1<<h-1) << 9 // GOB index inside the block
	switch {
	case g == 1:
		// G80-GT2xx GOBs are 64 B x 4 rows; their inner order is not
		// documented in any source we could check.
		return nil, fmt.Errorf("NVIDIA G80 GOBs (height 4): %w", ErrUnsupported)
	case g == 3:
		return nil, fmt.Errorf("NVIDIA GOB kind generation 3 (reserved): %w", ErrUnsupported)
	case s == 0:
		return newSwizzle(m, cpp, nvGOBTegraMaskX, nvGOBTegraMaskY|blockMask, 0), nil
	case g == 2:
		return newSwizzle(m, cpp, nvGOBTuringMaskX, nvGOBTuringMaskY|blockMask, 0), nil
	}
	// s=1, g=0: desktop Fermi-Volta and Xavier. Mesa's nil documents a
	// FermiColor GOB order different from both layouts above, but only as
	// a diagram we could not confirm against code.
	return nil, fmt.Errorf("NVIDIA Fermi-Volta desktop sector layout: %w", ErrUnsupported)
}

func buildVivante(m modifier.Modifier, cpp int) (*Tiler, error) {
	if uint64(m)&vivanteExtMask != 0 {
		return nil, fmt.Errorf("Vivante modifier %#x with tile status or DEC400: %w", uint64(m), ErrCompressed)
	}
	if cpp&(cpp-1) != 0 {
		// The tiles are defined in pixels; with a non-power-of-two pixel
		// size the in-tile offset is no longer a bit pattern.
		return nil, fmt.Errorf("Vivante tiling with %d bytes per pixel: %w", cpp, ErrUnsupported)
	}
	p := uint(0)
	for 1<<p < cpp {
		p++
	}
	byteMask := uint32(cpp - 1)
	switch m {
	case modifier.VivanteTiled:
		// 4x4 pixel tiles, pixels row-major inside (drm_fourcc.h
		// DRM_FORMAT_MOD_VIVANTE_TILED; Mesa etnaviv_tiling.c).
		return newSwizzle(m, cpp, byteMask|0x3<<p, 0xc<<p, 0), nil
	case modifier.VivanteSuperTiled:
		return newSwizzle(m, cpp, byteMask|vivSuperMaskX<<p, vivSuperMaskY<<p, 0), nil
	}
	// Split layouts spread alternate tiles over two base addresses, which a
	// single-plane Tiler cannot express.
	return nil, fmt.Errorf("Vivante modifier %#x: %w", uint64(m), ErrUnsupported)
}
