//go:build !amd64

package tiling

import "unsafe"

// haveStream is false where no streaming kernels exist; Detile then always
// takes the portable row path.
const haveStream = false

func streamSpans(dst, src unsafe.Pointer, n, span, dstStep, srcStep int) {
	panic("tiling: streamSpans without kernels")
}

func streamQuads(dst unsafe.Pointer, dstStride int, src unsafe.Pointer, rows *[4]int32, xOff *int32, nx, tiles, tileSize int) {
	panic("tiling: streamQuads without kernels")
}
