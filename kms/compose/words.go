package compose

import "unsafe"

// words views a row of pixels as 64-bit words in the blend loops' layout.
// On little-endian machines that is the row's own memory.
func words(p []Pixel) []uint64 {
	if len(p) == 0 {
		return nil
	}
	if !littleEndian {
		panic("compose: big-endian blending is not implemented")
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&p[0])), len(p))
}
