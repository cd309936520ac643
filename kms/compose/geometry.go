package compose

import (
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
)

// mapping says which framebuffer pixel each destination pixel of a plane
// shows. Rotation by 90 or 270 degrees turns destination rows into source
// columns, so the two axes are kept apart: along[u] is the source
// coordinate for destination column u (x, or y when swapped), across[v]
// the one for destination row v.
type mapping struct {
	swap   bool // destination rows read source columns
	along  []int32
	across []int32
	// alongMin and alongMax bound along, so one contiguous read covers a
	// row; alongStep is +1 or -1 when along is such a run, 0 otherwise.
	alongMin, alongMax int32
	alongStep          int32
}

// build fills m for a layer showing src (16.16, in a fbW x fbH buffer)
// in dst. The rule is nearest sampling at pixel centres, in the layer's
// 16.16 source coordinates: destination pixel u has its centre at u+1/2,
// which lands at (u+1/2)*srcW/dstW in the rotated source; the inverse
// rotation and reflection (as drm_rect_rotate_inv applies them) take that
// point to the buffer, and the pixel containing it is sampled. Without scaling and with whole
// source coordinates this is VKMS's pixel-for-pixel mapping.
func (m *mapping) build(src, dst device.Rect, rot profile.Rotation, fbW, fbH int32) {
	m.swap = rot&(profile.Rotate90|profile.Rotate270) != 0
	dw, dh := int64(dst.Width()), int64(dst.Height())
	sw, sh := int64(src.Width()), int64(src.Height()) // 16.16, unrotated
	rw, rh := sw, sh                                  // the rotated source's size
	if m.swap {
		rw, rh = sh, sw
	}
	m.along = grow(m.along, int(dw))
	m.across = grow(m.across, int(dh))

	// For each destination axis: which source axis it reads, and whether
	// the inverse rotation runs that axis backwards. Reflections flip the
	// source axes after the inverse rotation.
	var alongRev, acrossRev bool
	switch {
	case rot&profile.Rotate90 != 0: // x = w - v', y = u'
		alongRev, acrossRev = false, true
	case rot&profile.Rotate180 != 0:
		alongRev, acrossRev = true, true
	case rot&profile.Rotate270 != 0: // x = v', y = h - u'
		alongRev, acrossRev = true, false
	}
	reflX, reflY := rot&profile.ReflectX != 0, rot&profile.ReflectY != 0
	if m.swap { // along is y, across is x
		alongRev = alongRev != reflY
		acrossRev = acrossRev != reflX
	} else {
		alongRev = alongRev != reflX
		acrossRev = acrossRev != reflY
	}
	alongOrg, acrossOrg := int64(src.X1), int64(src.Y1)
	alongSize, acrossSize := sw, sh
	alongLim, acrossLim := fbW, fbH
	if m.swap {
		alongOrg, acrossOrg = acrossOrg, alongOrg
		alongSize, acrossSize = acrossSize, alongSize
		alongLim, acrossLim = acrossLim, alongLim
	}
	fillAxis(m.along, dw, rw, alongOrg, alongSize, alongRev, alongLim)
	fillAxis(m.across, dh, rh, acrossOrg, acrossSize, acrossRev, acrossLim)

	m.alongMin, m.alongMax, m.alongStep = 0, -1, 0
	if dw == 0 {
		return
	}
	m.alongMin, m.alongMax = m.along[0], m.along[0]
	for _, v := range m.along {
		m.alongMin = min(m.alongMin, v)
		m.alongMax = max(m.alongMax, v)
	}
	if n := int32(dw); m.alongMax-m.alongMin == n-1 {
		if m.along[0] == m.alongMin && isRun(m.along, 1) {
			m.alongStep = 1
		} else if m.along[0] == m.alongMax && isRun(m.along, -1) {
			m.alongStep = -1
		}
	}
}

// fillAxis maps n destination pixels onto a source axis: rotated size
// rsize (16.16) spread over n pixels, then mirrored inside the source
// span of size ssize when rev, offset by org (16.16), and clamped to the
// framebuffer so a rounding edge can never index outside it.
func fillAxis(dst []int32, n, rsize, org, ssize int64, rev bool, lim int32) {
	if n == 0 {
		return
	}
	// The centre of pixel i sits (2i+1)·rsize/(2n) (16.16) from the
	// rotated origin; mirrored, at ssize minus that. Both are floored as
	// one exact fraction: truncating the offset first would round a
	// mirrored point up across a pixel edge.
	den := 2 * n
	for i := int64(0); i < n; i++ {
		var num int64
		if rev {
			num = (org+ssize)*den - (2*i+1)*rsize
		} else {
			num = org*den + (2*i+1)*rsize
		}
		v := int32(num / (den << 16))
		dst[i] = max(0, min(v, lim-1))
	}
}

func isRun(s []int32, step int32) bool {
	for i := 1; i < len(s); i++ {
		if s[i]-s[i-1] != step {
			return false
		}
	}
	return true
}

// grow returns s resized to n, reusing its array when it is big enough.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n, n+n/4)
}
