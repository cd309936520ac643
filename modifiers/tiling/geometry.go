package tiling

import (
	"errors"
	"fmt"

	"github.com/headwaywl/headway/modifiers/modifier"
)

// ErrCompressed reports a modifier whose payload is compressed: its layout
// can be validated, but its pixels cannot be read back in software.
var ErrCompressed = errors.New("compressed modifier: pixels cannot be sampled")

// ErrUnsupported reports a modifier whose tiling headway does not implement.
var ErrUnsupported = errors.New("tiling not supported")

// Geometry is the tile shape a modifier imposes on one plane with cpp bytes
// per pixel (per block). A plane's stride must be a multiple of
// TileWidthBytes and its allocated height is rounded up to TileHeight rows.
// Linear surfaces report a 1-byte by 1-row tile.
type Geometry struct {
	TileWidthBytes int
	TileHeight     int
}

// TileSize is the number of bytes one tile occupies.
func (g Geometry) TileSize() int { return g.TileWidthBytes * g.TileHeight }

// GeometryFor returns the tile shape of modifier m for cpp bytes per
// pixel. Intel CCS variants report the shape of their main surface's base
// tiling; compressed families without such a base return ErrCompressed.
func GeometryFor(m modifier.Modifier, cpp int) (Geometry, error) {
	if cpp <= 0 || cpp > 16 {
		return Geometry{}, fmt.Errorf("tile geometry of %#x: %d bytes per pixel: %w", uint64(m), cpp, ErrUnsupported)
	}
	switch m {
	case modifier.Linear:
		return Geometry{1, 1}, nil
	case modifier.IntelXTiled:
		return Geometry{512, 8}, nil
	case modifier.IntelYTiled, modifier.IntelYTiledCCS, modifier.IntelYTiledGen12RCCCS,
		modifier.IntelYTiledGen12MCCCS, modifier.IntelYTiledGen12RCCCSCC,
		modifier.Intel4Tiled, modifier.Intel4TiledDG2RCCCS, modifier.Intel4TiledDG2MCCCS,
		modifier.Intel4TiledDG2RCCCSCC, modifier.Intel4TiledMTLRCCCS, modifier.Intel4TiledMTLMCCCS,
		modifier.Intel4TiledMTLRCCCSCC, modifier.Intel4TiledLNLCCS, modifier.Intel4TiledBMGCCS:
		return Geometry{128, 32}, nil
	case modifier.IntelYfTiled, modifier.IntelYfTiledCCS:
		// Yf tiles are 4 KiB with a width that grows with cpp (i915 intel_tile_width_bytes).
		switch cpp {
		case 1:
			return Geometry{64, 64}, nil
		case 2, 4:
			return Geometry{128, 32}, nil
		case 8, 16:
			return Geometry{256, 16}, nil
		}
		return Geometry{}, fmt.Errorf("Yf tiling with %d bytes per pixel: %w", cpp, ErrUnsupported)
	case modifier.Samsung64x32Tile:
		return Geometry{64, 32}, nil
	case modifier.VivanteTiled:
		return Geometry{4 * cpp, 4}, nil
	case modifier.VivanteSuperTiled:
		return Geometry{64 * cpp, 64}, nil
	}
	if m.Vendor() == modifier.VendorNVIDIA && m.Value()&0x10 != 0 {
		h := m.Value() & 0xf
		gobHeight := 8
		if (m.Value()>>20)&3 == 1 {
			gobHeight = 4
		}
		if (m.Value()>>23)&7 != 0 {
			return Geometry{}, fmt.Errorf("NVIDIA block-linear with compression: %w", ErrCompressed)
		}
		if h > 5 {
			return Geometry{}, fmt.Errorf("NVIDIA block-linear block height 2^%d GOBs: %w", h, ErrUnsupported)
		}
		return Geometry{64, gobHeight << h}, nil
	}
	return Geometry{}, fmt.Errorf("tile geometry of %#x: %w", uint64(m), ErrUnsupported)
}
