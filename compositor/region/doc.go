// Package region implements pixel regions with pixman_region32 semantics:
// the sets of pixels behind wl_region, surface damage, opaque regions and
// input regions.
//
// A Region is a list of non-overlapping rectangles in y-x banded form, the
// representation of pixman (inherited from the X server's mi regions):
//
//   - Rectangles are half-open int32 boxes [X1,X2) × [Y1,Y2), never empty.
//   - They are grouped into bands: rectangles of one band share Y1 and Y2,
//     bands are sorted by Y1 and do not overlap vertically.
//   - Within a band, rectangles are sorted by X1 and neither overlap nor
//     touch (touching spans are one span).
//   - Two bands that touch vertically never have identical x-spans (they
//     would be one band).
//   - Extents is the bounding box of all rectangles, Rect{} when empty.
//
// These rules make the form canonical: two regions covering the same
// pixels have the same rectangle list, so Equal is a list comparison and
// tests can compare rectangle lists with pixman's. Every operation keeps
// the invariants; the tests check them against a brute-force pixel set.
//
// Coordinates and hostile input. Regions cover pixels in
// [MinCoord, MaxCoord) = [-2^31, 2^31-1) on both axes, exactly the range
// of pixman_region32's int32 boxes. Clients choose the rectangles
// (wl_region.add takes any int32 position and size), so all edge
// arithmetic is done in 64 bits and saturated: XYWH clamps right and
// bottom edges to MaxCoord, the way pixman_region32_translate clamps boxes
// to its limits, and Translate drops what falls outside and cuts what
// crosses a limit, as pixman does. Zero and negative sizes give an empty
// rectangle, which every operation ignores. No input makes an operation
// overflow or panic.
//
// Memory. Operations build their result in a second slice the Region
// keeps and then swap it in, so a region that is reused frame after frame
// (damage accumulation, opaque-region clipping) stops allocating once its
// slices have grown; operations with a single rectangle use no heap at
// all. Rects returns the region's own storage rather than a copy.
//
// Why not an existing library. image.Rectangle is a single rectangle and
// image's Union of two is their bounding box, not their pixel union.
// Wrapping pixman itself would need cgo and libpixman on every machine
// that builds headway, which otherwise uses no cgo at all. The one pure-Go
// banded region package found (github.com/PekingSpades/region, first
// published in 2026) has no tagged release and no importers, and its
// documentation does not say what out-of-range input does; the code here
// is small, and its hostile-input behaviour must be ours to specify and
// test because the compositor feeds it untrusted client rectangles. The operations follow
// pixman's documented behaviour (pixman.h and its region tests), which the
// tests reproduce.
package region
