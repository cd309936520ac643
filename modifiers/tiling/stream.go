package tiling

import "unsafe"

// streamMinBytes is the smallest plane (widthBytes*height) that Detile
// converts with streaming stores. Like a large memmove, a plane this big
// will not stay in cache, so stores that skip the cache save reading each
// destination line before writing it; below it, ordinary stores leave the
// result in cache for whoever reads it next. A variable so tests can force
// the streaming path on small planes.
var streamMinBytes = 1 << 20

// streamPath says which streaming kernel, if any, detiles a plane.
type streamPath uint8

const (
	pathNone  streamPath = iota
	pathSpans            // one run per tile row, a multiple of 64 bytes (Intel X)
	pathQuads            // 16-byte runs, an even number per tile row, tile height a multiple of 4
)

// streamPathFor picks the kernel for detiling into lin with linStride. The
// kernels store 16 bytes at a time to aligned addresses, so lin and its
// stride must be 16-byte aligned; widthBytes must hold at least one tile.
func (t *Tiler) streamPathFor(lin []byte, linStride, widthBytes, height int) streamPath {
	if !haveStream || t.kind != kindSwizzle || widthBytes*height < streamMinBytes ||
		widthBytes < t.geom.TileWidthBytes || linStride%16 != 0 ||
		uintptr(unsafe.Pointer(unsafe.SliceData(lin)))%16 != 0 {
		return pathNone
	}
	switch {
	case len(t.xOff) == 1 && t.run%64 == 0:
		return pathSpans
	case t.run == 16 && len(t.xOff)%2 == 0 && t.geom.TileHeight%4 == 0:
		return pathQuads
	}
	return pathNone
}

// detileStream converts a whole plane with the kernel p. The whole tiles of
// each row go through the kernel; a partial last tile and the rows after
// the last whole quad take the portable row path. Callers have checked
// every size, which is what keeps the kernels inside both buffers: a row's
// whole tiles end before widthBytes, and every tile row of the plane lies
// inside tiled (MinSize).
func (t *Tiler) detileStream(p streamPath, lin []byte, linStride int, tiled []byte, stride, widthBytes, height int) {
	tileW := t.geom.TileWidthBytes
	tileSize := 1 << t.tileShift
	full := widthBytes / tileW
	done := full * tileW
	lp := unsafe.Pointer(unsafe.SliceData(lin))
	tp := unsafe.Pointer(unsafe.SliceData(tiled))
	rowBase := func(y int) int {
		return (y>>t.tileHShift)*(stride<<t.tileHShift) + int(t.yOff[y&(t.geom.TileHeight-1)])
	}
	y := 0
	switch p {
	case pathSpans:
		for ; y < height; y++ {
			base := rowBase(y)
			streamSpans(unsafe.Add(lp, y*linStride), unsafe.Add(tp, base), full, tileW, tileW, tileSize)
			if done < widthBytes {
				t.moveRowRuns(lin[y*linStride+done:y*linStride+widthBytes], tiled, base+full*tileSize, true)
			}
		}
	case pathQuads:
		for ; y+4 <= height; y += 4 {
			tileRow := (y >> t.tileHShift) * (stride << t.tileHShift)
			r := y & (t.geom.TileHeight - 1)
			streamQuads(unsafe.Add(lp, y*linStride), linStride, unsafe.Add(tp, tileRow),
				(*[4]int32)(t.yOff[r:r+4]), &t.xOff[0], len(t.xOff), full, tileSize)
			if done < widthBytes {
				for q := y; q < y+4; q++ {
					moveRow16(lin[q*linStride+done:q*linStride+widthBytes], tiled, rowBase(q)+full*tileSize, tileSize, t.xOff, true)
				}
			}
		}
	}
	for ; y < height; y++ {
		t.moveRow(lin[y*linStride:y*linStride+widthBytes], tiled, stride, height, y, true)
	}
}
