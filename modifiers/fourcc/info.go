package fourcc

// The helpers below mirror the kernel's drm_format_info_* functions
// (torvalds/linux drivers/gpu/drm/drm_fourcc.c and include/drm/drm_fourcc.h),
// result for result, so that layouts computed here agree with what a real
// driver accepts. Like the kernel's, they return 0 for a plane the format
// does not have; unlike the kernel, a negative plane is also 0 rather than
// undefined, and a zero Info (HSub or VSub 0) yields 0 instead of dividing by
// zero.

func (in Info) hasPlane(plane int) bool {
	return plane >= 0 && plane < int(in.NumPlanes) && plane < MaxPlanes
}

// BlockWidth is drm_format_info_block_width: the block width in pixels of
// plane, 1 where the table leaves it 0.
func (in Info) BlockWidth(plane int) int {
	if !in.hasPlane(plane) {
		return 0
	}
	if in.BlockW[plane] == 0 {
		return 1
	}
	return int(in.BlockW[plane])
}

// BlockHeight is drm_format_info_block_height.
func (in Info) BlockHeight(plane int) int {
	if !in.hasPlane(plane) {
		return 0
	}
	if in.BlockH[plane] == 0 {
		return 1
	}
	return int(in.BlockH[plane])
}

// BPP is drm_format_info_bpp: bits per pixel of plane, truncated, and 0 for
// formats without byte counts (YUV420_8BIT and the like).
func (in Info) BPP(plane int) int {
	if !in.hasPlane(plane) {
		return 0
	}
	return int(in.CharPerBlock[plane]) * 8 / (in.BlockWidth(plane) * in.BlockHeight(plane))
}

// MinPitch is drm_format_info_min_pitch: the smallest pitch in bytes of plane
// for a buffer width pixels wide, rounded up to whole bytes. The width is
// that of the whole buffer, not of the (possibly subsampled) plane: the
// kernel applies it unchanged, and callers that want the chroma plane's own
// width pass PlaneWidth's result.
func (in Info) MinPitch(plane int, width uint32) uint64 {
	if !in.hasPlane(plane) {
		return 0
	}
	div := uint64(in.BlockWidth(plane) * in.BlockHeight(plane))
	return (uint64(width)*uint64(in.CharPerBlock[plane]) + div - 1) / div
}

// PlaneWidth is drm_format_info_plane_width: the width of plane for a first
// plane width pixels wide, rounding up (the kernel rounds up since 6.7).
func (in Info) PlaneWidth(width, plane int) int {
	return subsampled(in, width, plane, in.HSub)
}

// PlaneHeight is drm_format_info_plane_height.
func (in Info) PlaneHeight(height, plane int) int {
	return subsampled(in, height, plane, in.VSub)
}

func subsampled(in Info, n, plane int, sub uint8) int {
	if !in.hasPlane(plane) {
		return 0
	}
	if plane == 0 {
		return n
	}
	if sub == 0 {
		return 0
	}
	// C's DIV_ROUND_UP, with C's (and Go's) truncating division, so that a
	// negative size behaves as it would in the kernel.
	return (n + int(sub) - 1) / int(sub)
}

// IsYUVPacked is drm_format_info_is_yuv_packed: YUV in a single plane.
func (in Info) IsYUVPacked() bool { return in.IsYUV && in.NumPlanes == 1 }

// IsYUVSemiplanar is drm_format_info_is_yuv_semiplanar: Y plus interleaved
// chroma.
func (in Info) IsYUVSemiplanar() bool { return in.IsYUV && in.NumPlanes == 2 }

// IsYUVPlanar is drm_format_info_is_yuv_planar: Y, U and V planes.
func (in Info) IsYUVPlanar() bool { return in.IsYUV && in.NumPlanes == 3 }

// IsYUVSampling410 is drm_format_info_is_yuv_sampling_410.
func (in Info) IsYUVSampling410() bool { return in.IsYUV && in.HSub == 4 && in.VSub == 4 }

// IsYUVSampling411 is drm_format_info_is_yuv_sampling_411.
func (in Info) IsYUVSampling411() bool { return in.IsYUV && in.HSub == 4 && in.VSub == 1 }

// IsYUVSampling420 is drm_format_info_is_yuv_sampling_420.
func (in Info) IsYUVSampling420() bool { return in.IsYUV && in.HSub == 2 && in.VSub == 2 }

// IsYUVSampling422 is drm_format_info_is_yuv_sampling_422.
func (in Info) IsYUVSampling422() bool { return in.IsYUV && in.HSub == 2 && in.VSub == 1 }

// IsYUVSampling444 is drm_format_info_is_yuv_sampling_444.
func (in Info) IsYUVSampling444() bool { return in.IsYUV && in.HSub == 1 && in.VSub == 1 }
