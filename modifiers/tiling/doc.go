// Package tiling moves pixels between the memory layouts that DRM format
// modifiers name and plain linear rows, so that headway can sample, compose
// and CRC buffers that clients allocated tiled, and can produce tiled test
// buffers of its own.
//
// # API
//
//   - GeometryFor(m, cpp) gives the tile shape a modifier imposes (used for
//     stride and size rules without building a Tiler).
//   - For(m, cpp) returns a *Tiler, cached per (modifier, cpp); it is
//     immutable and safe for concurrent use.
//   - Tiler.Offset(xb, y, stride, height) is the byte offset of byte column
//     xb (x*cpp plus the byte inside the pixel) of row y. It returns -1
//     outside the plane.
//   - Tiler.Detile / Tiler.Tile convert a whole plane; Tiler.DetileRow /
//     Tiler.TileRow convert one row without allocating, for line-by-line
//     composition.
//   - Tiler.MinSize(stride, widthBytes, height) is the smallest buffer the
//     calls accept.
//
// # Invariants
//
//   - Every size is checked before the first byte moves; short buffers give
//     ErrShortBuffer, bad strides ErrBadStride, bad sizes or rows ErrBadSize.
//     Nothing panics on any input.
//   - A tiled plane's stride is a whole number of tiles (Samsung 64x32: of
//     tile pairs, 128 bytes). Its buffer holds whole tile rows:
//     MinSize = stride * roundup(height, tile height). A linear plane needs
//     (height-1)*stride + widthBytes.
//   - Widths and heights need not be whole tiles. Tile writes only the bytes
//     that belong to the widthBytes x height plane; padding keeps its contents.
//   - Compressed modifiers (Intel CCS aside) return ErrCompressed; layouts we
//     could not establish from sources return ErrUnsupported rather than a
//     guess. Intel CCS modifiers tile their main surface like their base
//     tiling (Y, Yf or Tile4); their aux planes are not handled here.
//   - Bit-6 address swizzling of old Intel platforms is ignored: modifiers
//     only describe gen8+ and VLV layouts (drm_fourcc.h).
//
// # Address formulas
//
// Write xb for the byte column, y for the row, S for the stride, and
// b_i(v) for bit i of v. All tiled layouts except Samsung's are "tiles
// row-major, bit pattern inside": with tile width W bytes, height H rows
// and size T = W*H,
//
//	offset = floor(y/H)*S*H + floor(xb/W)*T + inside(xb mod W, y mod H)
//
// where inside() deposits the bits of the in-tile x and y into fixed
// address bits. Listing the address bits from bit 0 upwards:
//
//	Linear            offset = y*S + xb
//	Intel X   512x8   x0..x8, y0..y2
//	Intel Y   128x32  x0..x3, y0..y4, x4..x6         (16 B columns, column-major)
//	Intel 4   128x32  x0..x3, y0 y1, x4 x5, y2, x6, y3 y4
//	Intel Yf  cpp 1:        64x64   x0..x3, y0..y4, x4, y5, x5
//	          cpp 2 and 4: 128x32   x0..x3, y0 y1 y2, x4, y3, x5, y4, x6
//	          cpp 8 and 16: 256x16  x0..x3, y0 y1, x4 x5, y2, x6, y3, x7
//	NVIDIA block linear, 64 x (8*2^h), GOB = 64 B x 8 rows, GOBs of a block
//	          stacked vertically (address bits 9.. hold y3..y(2+h)):
//	          sector layout 0 (Tegra K1-TX2): x0..x3, y0, x4, y1 y2, x5
//	          sector layout 1, Turing+ (g=2): x0..x3, y0 y1, x4, y2, x5
//	Vivante tiled, 4 px x 4 rows, with c = log2(cpp) byte bits first:
//	          bytes 0..c-1, px x0 x1, y0 y1
//	Vivante super-tiled, 64 px x 64 rows: bytes 0..c-1, then in pixels
//	          x0 x1, y0 y1, x2, y2 y3, x3 x4 x5, y4 y5
//
// Samsung 64x32 (NV12MT) tiles are 64 B x 32 rows stored row-major inside,
// 2048 B each. With X = S/64 tile columns, Y = ceil(height/32) tile rows,
// and tile (tx, ty), the tile's index in memory is
//
//	i = 2*floor(ty/2)*X + tx
//	    + 2 + 4*floor(tx/4)                  if ty is odd
//	    + 4*floor((tx+2)/4)                  if ty is even, unless ty is the
//	                                          last row of an odd Y (then +0)
//
// so 2x2 groups alternate Z and mirrored-Z shapes and a lone last tile row
// is plain left to right; offset = i*2048 + (y mod 32)*64 + (xb mod 64).
//
// # Speed
//
// DetileRow and small planes use ordinary loads and stores, so the rows
// they produce stay in cache for the compositor that reads them next. A
// whole-plane Detile of 1 MiB or more into a 16-byte-aligned destination
// with a 16-byte-aligned stride streams instead (amd64, SSE2 assembly in
// stream_amd64.s): non-temporal stores skip reading each destination line
// before overwriting it, as a large memmove does. Intel X goes one 512-byte
// run at a time; layouts with 16-byte runs (Intel Y, Yf, Tile4, NVIDIA
// block linear, Vivante super-tiled at 4 bytes per pixel) go four rows at a
// time, so every 64-byte source line is read once and whole. Partial last
// tiles and leftover rows take the portable path, and other architectures
// take it throughout; TestStreamMatchesRows holds both paths to the same
// bytes.
//
// # Not implemented (ErrUnsupported)
//
// NVIDIA G80-GT2xx GOBs (g=1, 64 B x 4 rows) and desktop Fermi-Volta or
// Xavier GOBs (g=0, s=1): no source we could check fixes their sector order.
// NVIDIA Tegra 16x16 tiles, Vivante split layouts, Samsung 16x16, Broadcom,
// Allwinner, Qualcomm TILED2/3, AMD and ARM 16x16 U-interleaved.
//
// # Sources
//
//   - Linux include/uapi/drm/drm_fourcc.h comments (libdrm 2.4.114 copy in
//     /usr/include/libdrm) for every family's shape.
//   - Reference doc §3.2 (IGT lib/intel_bufops.c x_ptr, y_ptr, yf_ptr,
//     tile4_ptr) and intel/gmmlib Source/GmmLib/Utility/CpuSwizzleBlt/
//     CpuSwizzleBlt.c (INTEL_TILE_X, _Y, _4, _YF_8.._YF_128 bit patterns);
//     Mesa isl_tiling_get_info for the Yf tile extents per cpp.
//   - ChromiumOS minigbm tegra.c transfer_tile and the Tegra X1 TRM
//     description it implements (sector layout 0); Mesa src/nouveau/nil
//     tiling.rs and copy.rs (GOBType::TuringColor2D, CopyGOBTuring2D).
//   - GStreamer gst-libs/gst/video/video-tile.c gst_video_tile_get_index and
//     the V4L2 NV12MT documentation (Samsung 64x32).
//   - Mesa etnaviv etnaviv_tiling.c (4x4 tiles) and Vivante's gc_hal
//     gcmSUPERTILE_OFFSET_X, SuperTileMode 1, which matches drm_fourcc.h's
//     "8x4 groups of 2x4 tiles" wording.
//
// testdata/spotgen.py recomputes the spot-check table in
// spot_table_test.go from each source's own formula, independently of the
// masks in layouts.go.
package tiling

//go:generate python3 testdata/spotgen.py spot_table_test.go
//go:generate gofmt -w spot_table_test.go
