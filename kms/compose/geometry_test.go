package compose

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/profile"
)

// The row mapping's run detection picks the composer's contiguous read
// paths: a forward run (+1) may be read as one span, a backward run (-1)
// as one span reversed, anything else pixel by pixel. The expected source
// columns are VKMS's pixel-for-pixel rule for unscaled planes, and every
// other one for a 2:1 downscale sampled at pixel centres.
func TestMappingRuns(t *testing.T) {
	px := func(x1, y1, x2, y2 int32) device.Rect {
		return device.Rect{X1: x1 << 16, Y1: y1 << 16, X2: x2 << 16, Y2: y2 << 16}
	}
	dst := func(w, h int32) device.Rect { return device.Rect{X2: w, Y2: h} }
	cases := []struct {
		name     string
		src, dst device.Rect
		rot      profile.Rotation
		along    []int32
		min, max int32
		step     int32
	}{
		{"unscaled", px(3, 0, 8, 2), dst(5, 2), profile.Rotate0, []int32{3, 4, 5, 6, 7}, 3, 7, 1},
		{"reflect-x", px(3, 0, 8, 2), dst(5, 2), profile.Rotate0 | profile.ReflectX, []int32{7, 6, 5, 4, 3}, 3, 7, -1},
		{"rotate-180", px(0, 0, 4, 4), dst(4, 4), profile.Rotate180, []int32{3, 2, 1, 0}, 0, 3, -1},
		{"downscaled 2:1", px(0, 0, 8, 1), dst(4, 1), profile.Rotate0, []int32{1, 3, 5, 7}, 1, 7, 0},
		{"upscaled 1:2", px(0, 0, 2, 1), dst(4, 1), profile.Rotate0, []int32{0, 0, 1, 1}, 0, 1, 0},
		{"one pixel", px(5, 0, 6, 1), dst(1, 1), profile.Rotate0, []int32{5}, 5, 5, 1},
		{"empty", px(0, 0, 4, 1), dst(0, 1), profile.Rotate0, nil, 0, -1, 0},
	}
	for _, c := range cases {
		var m mapping
		m.build(c.src, c.dst, c.rot, 16, 16)
		assert.Equal(t, c.along, m.along, c.name)
		assert.Equal(t, [3]int32{c.min, c.max, c.step}, [3]int32{m.alongMin, m.alongMax, m.alongStep}, "%s: min, max, step", c.name)
	}
}
