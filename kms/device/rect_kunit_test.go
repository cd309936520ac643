package device

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/headwaywl/headway/kms/profile"
)

// These tables are the kernel's KUnit suite drm_rect
// (drivers/gpu/drm/tests/drm_rect_test.c), case for case, so that the
// port of drm_rect_clip_scaled, drm_rect_rotate(_inv) and
// drm_rect_calc_hscale/vscale is held to the kernel's own expectations
// rather than to ours.

// rectInit is DRM_RECT_INIT: the kernel's tests give rectangles as
// position and size, not as two corners.
func rectInit(x, y, w, h int32) Rect { return Rect{x, y, x + w, y + h} }

// rectVisible is drm_rect_visible.
func rectVisible(r Rect) bool { return r.Width() > 0 && r.Height() > 0 }

func TestKUnitRectClipScaled(t *testing.T) {
	cases := []struct {
		name           string
		src, dst, clip Rect
		// wantSrc and wantDst are checked only for visible results: the
		// kernel asserts nothing about the rectangles left when nothing
		// is shown, only that neither is visible.
		wantSrc, wantDst Rect
		visible          bool
	}{
		// drm_test_rect_clip_scaled_div_by_zero: a zero-sized destination
		// outside the clip must not divide by its width.
		{name: "div_by_zero/dst-at-origin", src: rectInit(0, 0, 0, 0), dst: rectInit(0, 0, 0, 0), clip: rectInit(1, 1, 1, 1)},
		{name: "div_by_zero/dst-past-clip", src: rectInit(0, 0, 0, 0), dst: rectInit(3, 3, 0, 0), clip: rectInit(1, 1, 1, 1)},

		// drm_test_rect_clip_scaled_not_clipped: a destination inside the
		// clip leaves both rectangles exactly as they were.
		{name: "not_clipped/1:1", src: rectInit(0, 0, 1<<16, 1<<16), dst: rectInit(0, 0, 1, 1), clip: rectInit(0, 0, 1, 1),
			wantSrc: Rect{0, 0, 1 << 16, 1 << 16}, wantDst: Rect{0, 0, 1, 1}, visible: true},
		{name: "not_clipped/2:1", src: rectInit(0, 0, 2<<16, 2<<16), dst: rectInit(0, 0, 1, 1), clip: rectInit(0, 0, 1, 1),
			wantSrc: Rect{0, 0, 2 << 16, 2 << 16}, wantDst: Rect{0, 0, 1, 1}, visible: true},
		{name: "not_clipped/1:2", src: rectInit(0, 0, 1<<16, 1<<16), dst: rectInit(0, 0, 2, 2), clip: rectInit(0, 0, 2, 2),
			wantSrc: Rect{0, 0, 1 << 16, 1 << 16}, wantDst: Rect{0, 0, 2, 2}, visible: true},

		// drm_test_rect_clip_scaled_clipped: the source shrinks by the
		// destination's proportion, from the edge that was clipped.
		{name: "clipped/1:1-top-left", src: rectInit(0, 0, 2<<16, 2<<16), dst: rectInit(0, 0, 2, 2), clip: rectInit(0, 0, 1, 1),
			wantSrc: Rect{0, 0, 1 << 16, 1 << 16}, wantDst: Rect{0, 0, 1, 1}, visible: true},
		{name: "clipped/1:1-bottom-right", src: rectInit(0, 0, 2<<16, 2<<16), dst: rectInit(0, 0, 2, 2), clip: rectInit(1, 1, 1, 1),
			wantSrc: Rect{1 << 16, 1 << 16, 2 << 16, 2 << 16}, wantDst: Rect{1, 1, 2, 2}, visible: true},
		{name: "clipped/2:1-top-left", src: rectInit(0, 0, 4<<16, 4<<16), dst: rectInit(0, 0, 2, 2), clip: rectInit(0, 0, 1, 1),
			wantSrc: Rect{0, 0, 2 << 16, 2 << 16}, wantDst: Rect{0, 0, 1, 1}, visible: true},
		{name: "clipped/2:1-bottom-right", src: rectInit(0, 0, 4<<16, 4<<16), dst: rectInit(0, 0, 2, 2), clip: rectInit(1, 1, 1, 1),
			wantSrc: Rect{2 << 16, 2 << 16, 4 << 16, 4 << 16}, wantDst: Rect{1, 1, 2, 2}, visible: true},
		{name: "clipped/1:2-top-left", src: rectInit(0, 0, 2<<16, 2<<16), dst: rectInit(0, 0, 4, 4), clip: rectInit(0, 0, 2, 2),
			wantSrc: Rect{0, 0, 1 << 16, 1 << 16}, wantDst: Rect{0, 0, 2, 2}, visible: true},
		{name: "clipped/1:2-bottom-right", src: rectInit(0, 0, 2<<16, 2<<16), dst: rectInit(0, 0, 4, 4), clip: rectInit(2, 2, 2, 2),
			wantSrc: Rect{1 << 16, 1 << 16, 2 << 16, 2 << 16}, wantDst: Rect{2, 2, 4, 4}, visible: true},

		// drm_test_rect_clip_scaled_signed_vs_unsigned: a clip starting
		// past the destination's end must not leave a source of negative
		// (as unsigned: huge) width that looks visible.
		{name: "signed_vs_unsigned", src: rectInit(0, 0, math.MaxInt32, math.MaxInt32), dst: rectInit(0, 0, 2, 2), clip: rectInit(3, 3, 1, 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, dst := tc.src, tc.dst
			visible := clipScaled(&src, &dst, tc.clip)
			assert.Equal(t, tc.visible, visible, "destination visible")
			assert.Equal(t, tc.visible, rectVisible(src), "source visible")
			if tc.visible {
				assert.Equal(t, tc.wantSrc, src, "source")
				assert.Equal(t, tc.wantDst, dst, "destination")
			}
		})
	}
}

// kunitRotateCases are drm_rect_rotate_cases: rect is the rectangle before
// drm_rect_rotate and want the one after, inside a width x height space.
var kunitRotateCases = []struct {
	name          string
	rot           profile.Rotation
	rect          Rect
	width, height int32
	want          Rect
}{
	{"reflect-x", profile.ReflectX, rectInit(0, 0, 5, 5), 5, 10, rectInit(0, 0, 5, 5)},
	{"reflect-y", profile.ReflectY, rectInit(2, 0, 5, 5), 5, 10, rectInit(2, 5, 5, 5)},
	{"rotate-0", profile.Rotate0, rectInit(0, 2, 5, 5), 5, 10, rectInit(0, 2, 5, 5)},
	{"rotate-90", profile.Rotate90, rectInit(0, 0, 5, 10), 5, 10, rectInit(0, 0, 10, 5)},
	{"rotate-180", profile.Rotate180, rectInit(11, 3, 5, 10), 5, 10, rectInit(-11, -3, 5, 10)},
	{"rotate-270", profile.Rotate270, rectInit(6, 3, 5, 10), 5, 10, rectInit(-3, 6, 10, 5)},
}

func TestKUnitRectRotate(t *testing.T) {
	for _, tc := range kunitRotateCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, rotateRect(tc.rect, tc.width, tc.height, tc.rot))
		})
	}
}

func TestKUnitRectRotateInv(t *testing.T) {
	// The kernel runs the same table backwards: the inverse takes the
	// rotated rectangle back to the original.
	for _, tc := range kunitRotateCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.rect, rotateRectInv(tc.want, tc.width, tc.height, tc.rot))
		})
	}
}

func TestKUnitRectCalcScale(t *testing.T) {
	// drm_rect_scale_cases, run as drm_test_rect_calc_hscale and
	// drm_test_rect_calc_vscale. The kernel tells ERANGE from EINVAL;
	// calcScale has one failure value, because the atomic check turns
	// both into ERANGE (a negative size cannot reach it).
	cases := []struct {
		name     string
		src, dst Rect
		min, max int32
		want     int32
		fails    bool
	}{
		{name: "normal use", src: rectInit(0, 0, 2<<16, 2<<16), dst: rectInit(0, 0, 1<<16, 1<<16), min: 0, max: math.MaxInt32, want: 2},
		{name: "out of max range", src: rectInit(0, 0, 10<<16, 10<<16), dst: rectInit(0, 0, 1<<16, 1<<16), min: 3, max: 5, fails: true},
		{name: "out of min range", src: rectInit(0, 0, 2<<16, 2<<16), dst: rectInit(0, 0, 1<<16, 1<<16), min: 3, max: 5, fails: true},
		{name: "zero dst", src: rectInit(0, 0, 2<<16, 2<<16), dst: rectInit(0, 0, 0, 0), min: 0, max: math.MaxInt32, want: 0},
		{name: "negative src", src: rectInit(0, 0, -(1 << 16), -(1 << 16)), dst: rectInit(0, 0, 1<<16, 1<<16), min: 0, max: math.MaxInt32, fails: true},
		{name: "negative dst", src: rectInit(0, 0, 1<<16, 1<<16), dst: rectInit(0, 0, -(1 << 16), -(1 << 16)), min: 0, max: math.MaxInt32, fails: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := calcScale(tc.src.Width(), tc.dst.Width(), tc.min, tc.max)
			v := calcScale(tc.src.Height(), tc.dst.Height(), tc.min, tc.max)
			if tc.fails {
				assert.Negative(t, h, "hscale")
				assert.Negative(t, v, "vscale")
				return
			}
			assert.Equal(t, tc.want, h, "hscale")
			assert.Equal(t, tc.want, v, "vscale")
		})
	}
}
