package tiling

import "unsafe"

// haveStream reports whether this architecture has the streaming kernels.
const haveStream = true

// streamSpans copies n spans of span bytes (a positive multiple of 64) from
// src to dst, advancing src by srcStep and dst by dstStep after each span.
// dst must be 16-byte aligned and dstStep a multiple of 16. Both ranges must
// lie inside their buffers: the kernel does no bounds checks.
//
//go:noescape
func streamSpans(dst, src unsafe.Pointer, n, span, dstStep, srcStep int)

// streamQuads detiles four rows at once from tiles whose runs are 16 bytes:
// for each of tiles tiles (src advancing by tileSize) and each of the nx
// (even) runs of a tile row, it copies the 16 bytes at src+rows[r]+xOff[k]
// to dst + r*dstStride + 16*k for r = 0..3, dst advancing by 16*nx per
// tile. dst and dstStride must be 16-byte aligned; no bounds checks.
//
//go:noescape
func streamQuads(dst unsafe.Pointer, dstStride int, src unsafe.Pointer, rows *[4]int32, xOff *int32, nx, tiles, tileSize int)
