package tiling

import (
	"fmt"
	"unsafe"
)

// Detile copies a whole plane of widthBytes by height from the tiled src
// (stride srcStride) into the linear dst (stride dstStride). Every size is
// checked before the first byte moves.
func (t *Tiler) Detile(dst []byte, dstStride int, src []byte, srcStride int, widthBytes, height int) error {
	return t.convert(dst, dstStride, src, srcStride, widthBytes, height, true)
}

// Tile is the inverse of Detile: it copies the linear src into the tiled
// dst. Bytes of dst outside the plane's widthBytes by height (stride padding,
// rows of a partial last tile row past height) are left as they were.
func (t *Tiler) Tile(dst []byte, dstStride int, src []byte, srcStride int, widthBytes, height int) error {
	return t.convert(src, srcStride, dst, dstStride, widthBytes, height, false)
}

// convert moves a whole plane between lin and tiled; toLinear picks the
// direction, and with it the names the errors use.
func (t *Tiler) convert(lin []byte, linStride int, tiled []byte, tiledStride int, widthBytes, height int, toLinear bool) error {
	op, tiledWhat, linWhat := "tile", "tiled destination", "linear source"
	if toLinear {
		op, tiledWhat, linWhat = "detile", "tiled source", "linear destination"
	}
	if err := t.checkTiled(tiled, tiledStride, widthBytes, height, tiledWhat); err != nil {
		return fmt.Errorf("%s %s: %w", op, t.name(), err)
	}
	if err := checkLinear(lin, linStride, widthBytes, height, linWhat); err != nil {
		return fmt.Errorf("%s %s: %w", op, t.name(), err)
	}
	if widthBytes == 0 {
		return nil
	}
	if toLinear {
		if p := t.streamPathFor(lin, linStride, widthBytes, height); p != pathNone {
			t.detileStream(p, lin, linStride, tiled, tiledStride, widthBytes, height)
			return nil
		}
	}
	if t.kind == kindSwizzle && t.run >= tileMajorRun {
		t.moveSurface(lin, linStride, tiled, tiledStride, widthBytes, height, toLinear)
		return nil
	}
	for y := 0; y < height; y++ {
		t.moveRow(lin[y*linStride:y*linStride+widthBytes], tiled, tiledStride, height, y, toLinear)
	}
	return nil
}

// DetileRow copies the first widthBytes of row y of the tiled plane src
// (stride srcStride, height rows) into dst. It neither allocates nor
// re-derives any table, so a compositor can call it once per scanline.
// height is needed for the bounds check and for Samsung 64x32's last tile
// row.
func (t *Tiler) DetileRow(dst, src []byte, srcStride, height, y, widthBytes int) error {
	if err := t.checkRow(dst, src, srcStride, height, y, widthBytes); err != nil {
		return fmt.Errorf("detile row of %s: %w", t.name(), err)
	}
	if widthBytes == 0 {
		return nil // MinSize is 0 then, so src may hold no row at all
	}
	t.moveRow(dst[:widthBytes], src, srcStride, height, y, true)
	return nil
}

// TileRow writes src's first widthBytes as row y of the tiled plane dst.
func (t *Tiler) TileRow(dst, src []byte, dstStride, height, y, widthBytes int) error {
	if err := t.checkRow(src, dst, dstStride, height, y, widthBytes); err != nil {
		return fmt.Errorf("tile row of %s: %w", t.name(), err)
	}
	if widthBytes == 0 {
		return nil
	}
	t.moveRow(src[:widthBytes], dst, dstStride, height, y, false)
	return nil
}

func (t *Tiler) checkRow(lin, tiled []byte, stride, height, y, widthBytes int) error {
	if err := t.checkTiled(tiled, stride, widthBytes, height, "tiled plane"); err != nil {
		return err
	}
	if y < 0 || y >= height {
		return fmt.Errorf("row %d of %d: %w", y, height, ErrBadSize)
	}
	if len(lin) < widthBytes {
		return fmt.Errorf("linear row has %d bytes, needs %d: %w", len(lin), widthBytes, ErrShortBuffer)
	}
	return nil
}

func (t *Tiler) name() string {
	return fmt.Sprintf("modifier %#x cpp %d", uint64(t.mod), t.cpp)
}

// moveRow moves one row between the linear slice lin (exactly the row's
// widthBytes) and the tiled plane; toLinear picks the direction. Callers
// have validated every size, so the slice expressions below cannot fail.
func (t *Tiler) moveRow(lin, tiled []byte, stride, height, y int, toLinear bool) {
	switch t.kind {
	case kindLinear:
		row := tiled[y*stride : y*stride+len(lin)]
		if toLinear {
			copy(lin, row)
		} else {
			copy(row, lin)
		}
	case kindSamsung:
		t.moveRowSamsung(lin, tiled, stride, height, y, toLinear)
	default:
		base := (y>>t.tileHShift)*(stride<<t.tileHShift) + int(t.yOff[y&(t.geom.TileHeight-1)])
		if t.run == 16 {
			moveRow16(lin, tiled, base, 1<<t.tileShift, t.xOff, toLinear)
		} else {
			t.moveRowRuns(lin, tiled, base, toLinear)
		}
	}
}

// moveRow16 handles the layouts whose contiguous runs are 16 bytes (Intel
// Y, Yf, Tile4, NVIDIA GOBs, Vivante at 4 bytes per pixel): each run moves
// as one 16-byte array copy, which the compiler turns into a single vector
// load and store instead of a memmove call.
func moveRow16(lin, tiled []byte, base, tileSize int, xOff []int32, toLinear bool) {
	n := len(lin)
	tileW := len(xOff) * 16
	full := n / tileW * tileW
	d := 0
	if full > 0 {
		// The caller validated that every tile of this row lies inside
		// tiled (MinSize) and that lin holds the row, so the pointer
		// arithmetic below stays inside both slices; bounds-checked slice
		// conversions here cost more than the 16-byte moves themselves.
		lp := unsafe.Pointer(unsafe.SliceData(lin))
		tp := unsafe.Pointer(unsafe.SliceData(tiled))
		if len(xOff) == 8 {
			// 128-byte-wide tiles (Intel Y, Tile4, Yf at 2 and 4 bytes
			// per pixel): the eight offsets live in registers and the
			// moves unroll; on 1080p XRGB8888 with written source memory
			// this measured 1.1x (Y) to 1.5x (Tile4) faster per plane,
			// and up to 2x per row, than the table walk below.
			move8x16(lp, tp, d, full, base, tileSize, (*[8]int32)(xOff), toLinear)
			d = full
			base += full / 128 * tileSize
		} else if toLinear {
			for ; d < full; base += tileSize {
				for _, o := range xOff {
					*(*[16]byte)(unsafe.Add(lp, d)) = *(*[16]byte)(unsafe.Add(tp, base+int(o)))
					d += 16
				}
			}
		} else {
			for ; d < full; base += tileSize {
				for _, o := range xOff {
					*(*[16]byte)(unsafe.Add(tp, base+int(o))) = *(*[16]byte)(unsafe.Add(lp, d))
					d += 16
				}
			}
		}
	}
	for _, o := range xOff {
		if d >= n {
			break
		}
		end := min(d+16, n)
		off := base + int(o)
		if toLinear {
			copy(lin[d:end], tiled[off:off+end-d])
		} else {
			copy(tiled[off:off+end-d], lin[d:end])
		}
		d = end
	}
}

// moveRowRuns is the general path: runs of t.run bytes (512 for Intel X,
// 4*cpp for most Vivante cases) moved with copy.
func (t *Tiler) moveRowRuns(lin, tiled []byte, base int, toLinear bool) {
	n := len(lin)
	run := t.run
	tileSize := 1 << t.tileShift
	for d := 0; d < n; base += tileSize {
		for _, o := range t.xOff {
			if d >= n {
				break
			}
			end := min(d+run, n)
			off := base + int(o)
			if toLinear {
				copy(lin[d:end], tiled[off:off+end-d])
			} else {
				copy(tiled[off:off+end-d], lin[d:end])
			}
			d = end
		}
	}
}

func (t *Tiler) moveRowSamsung(lin, tiled []byte, stride, height, y int, toLinear bool) {
	n := len(lin)
	ty := y >> 5
	inTile := (y & 31) << 6
	for tx, d := 0, 0; d < n; tx++ {
		off := t.samsungTile(tx, ty, stride, height)<<11 + inTile
		end := min(d+64, n)
		if toLinear {
			copy(lin[d:end], tiled[off:off+end-d])
		} else {
			copy(tiled[off:off+end-d], lin[d:end])
		}
		d = end
	}
}

// tileMajorRun is the shortest run for which whole-plane conversion goes
// tile by tile. 16 B-run layouts (Y, Tile4, Yf) measured several times
// slower that way, whole tiles or strips of 4 rows, because their linear
// side then scatters 16 B writes over many rows instead of streaming. For
// Intel X (512 B runs) the first measurement favoured tile order 3x, but it
// read never-written (zero-page) memory; with real data the two orders are
// within the machine's noise, so this is a default to revisit, not a law.
const tileMajorRun = 64

// moveSurface converts a whole bit-pattern plane one tile at a time, so the
// tiled side streams through memory in order (4 KiB and more of contiguous
// bytes) while the few linear rows a tile spans stay in L1. Row-at-a-time
// order would instead touch every tile of a tile row once per scanline.
func (t *Tiler) moveSurface(lin []byte, linStride int, tiled []byte, stride, widthBytes, height int, toLinear bool) {
	tileW := t.geom.TileWidthBytes
	tileH := t.geom.TileHeight
	full := widthBytes / tileW
	rest := widthBytes - full*tileW
	for y0 := 0; y0 < height; y0 += tileH {
		rows := min(tileH, height-y0)
		tb := (y0 >> t.tileHShift) * (stride << t.tileHShift)
		lb := y0 * linStride
		for tx := 0; tx < full; tx++ {
			if t.run == 16 {
				moveTile16(lin[lb:], linStride, tiled[tb:tb+1<<t.tileShift], t.xOff, t.yOff[:rows], toLinear)
			} else {
				t.moveTileRuns(lin[lb:], linStride, tiled[tb:tb+1<<t.tileShift], tileW, rows, toLinear)
			}
			tb += 1 << t.tileShift
			lb += tileW
		}
		if rest > 0 {
			t.moveTileRuns(lin[lb:], linStride, tiled[tb:tb+1<<t.tileShift], rest, rows, toLinear)
		}
	}
}

// moveTile16 moves the rows of one tile whose runs are 16 bytes. lin
// starts at the tile's top-left byte in the linear plane.
func moveTile16(lin []byte, linStride int, tile []byte, xOff, yOff []int32, toLinear bool) {
	w := len(xOff) * 16
	for r, yo := range yOff {
		row := lin[r*linStride : r*linStride+w]
		src := tile[yo:]
		if toLinear {
			for k, o := range xOff {
				*(*[16]byte)(row[k*16:]) = *(*[16]byte)(src[o:])
			}
		} else {
			for k, o := range xOff {
				*(*[16]byte)(src[o:]) = *(*[16]byte)(row[k*16:])
			}
		}
	}
}

// moveTileRuns moves the first w bytes of rows rows of one tile, in runs of
// t.run bytes; the last run may be short when w is not a whole number of runs.
func (t *Tiler) moveTileRuns(lin []byte, linStride int, tile []byte, w, rows int, toLinear bool) {
	// Each row of one tile is a row of the plane that starts and ends in
	// this tile, so the row mover serves with the tile as the plane.
	for r := 0; r < rows; r++ {
		t.moveRowRuns(lin[r*linStride:r*linStride+w], tile, int(t.yOff[r]), toLinear)
	}
}

// move8x16 moves the 16-byte runs of whole 128-byte tile rows, from linear
// byte d up to end, between lp and the tile row starting at base in tp.
func move8x16(lp, tp unsafe.Pointer, d, end, base, tileSize int, xOff *[8]int32, toLinear bool) {
	o0, o1, o2, o3 := int(xOff[0]), int(xOff[1]), int(xOff[2]), int(xOff[3])
	o4, o5, o6, o7 := int(xOff[4]), int(xOff[5]), int(xOff[6]), int(xOff[7])
	type ow = [16]byte
	if toLinear {
		for ; d < end; d, base = d+128, base+tileSize {
			l, t := unsafe.Add(lp, d), unsafe.Add(tp, base)
			*(*ow)(l) = *(*ow)(unsafe.Add(t, o0))
			*(*ow)(unsafe.Add(l, 16)) = *(*ow)(unsafe.Add(t, o1))
			*(*ow)(unsafe.Add(l, 32)) = *(*ow)(unsafe.Add(t, o2))
			*(*ow)(unsafe.Add(l, 48)) = *(*ow)(unsafe.Add(t, o3))
			*(*ow)(unsafe.Add(l, 64)) = *(*ow)(unsafe.Add(t, o4))
			*(*ow)(unsafe.Add(l, 80)) = *(*ow)(unsafe.Add(t, o5))
			*(*ow)(unsafe.Add(l, 96)) = *(*ow)(unsafe.Add(t, o6))
			*(*ow)(unsafe.Add(l, 112)) = *(*ow)(unsafe.Add(t, o7))
		}
		return
	}
	for ; d < end; d, base = d+128, base+tileSize {
		l, t := unsafe.Add(lp, d), unsafe.Add(tp, base)
		*(*ow)(unsafe.Add(t, o0)) = *(*ow)(l)
		*(*ow)(unsafe.Add(t, o1)) = *(*ow)(unsafe.Add(l, 16))
		*(*ow)(unsafe.Add(t, o2)) = *(*ow)(unsafe.Add(l, 32))
		*(*ow)(unsafe.Add(t, o3)) = *(*ow)(unsafe.Add(l, 48))
		*(*ow)(unsafe.Add(t, o4)) = *(*ow)(unsafe.Add(l, 64))
		*(*ow)(unsafe.Add(t, o5)) = *(*ow)(unsafe.Add(l, 80))
		*(*ow)(unsafe.Add(t, o6)) = *(*ow)(unsafe.Add(l, 96))
		*(*ow)(unsafe.Add(t, o7)) = *(*ow)(unsafe.Add(l, 112))
	}
}
