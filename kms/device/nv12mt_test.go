package device

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// TestNV12MTLayoutAgreesWithAddFB2 holds modifiers/layout's validator and
// AddFB2 to one answer for NV12 in Samsung 64x32 tiles: a client whose
// dmabuf import passed the validator must be able to make a framebuffer of
// it, and one the kernel would refuse must not get that far. Each buffer
// is laid out for the size rounded up to whole tiles in every plane, so
// only the frame size, never the memory, decides.
func TestNV12MTLayoutAgreesWithAddFB2(t *testing.T) {
	m := modifier.Samsung64x32Tile
	info, ok := fourcc.Lookup(fourcc.NV12)
	require.True(t, ok)
	sizes := []struct {
		w, h uint32
		ok   bool
	}{
		{128, 32, false}, // luma whole tiles, chroma 64x16
		{256, 32, false}, // chroma 16 rows
		{128, 64, false}, // chroma 64 samples wide
		{256, 64, true},  // the smallest: one chroma tile
		{384, 64, false}, // chroma 192 samples wide
		{512, 64, true},
		{256, 96, false}, // luma whole tiles, chroma 48 rows
		{256, 128, true},
		{255, 64, false}, // not even whole luma tiles
		{257, 64, false},
		{256, 65, false},
		{1280, 720, false}, // 720 rows are not whole tiles even in luma
		{1280, 768, true},
		{1920, 1080, false},
		{1920, 1088, false}, // the usual decoder size: chroma 960 samples wide
		{2048, 1088, true},
		{3840, 2176, true},
		{4096, 4096, true},
	}
	r := newRig(t, "exynos-like")
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			alloc, err := layout.Compute(info, m, (sz.w+255)&^255, (sz.h+63)&^63)
			require.NoError(t, err)
			planes := alloc.ParamsPlanes()
			for i := range planes {
				planes[i].Size = alloc.Size
			}
			verr := layout.Validate(info, m, sz.w, sz.h, planes)

			handle, err := r.f.ImportBuffer(make([]byte, alloc.Size))
			require.NoError(t, err)
			req := FB2{Width: sz.w, Height: sz.h, Format: fourcc.NV12, Flags: FBModifiers}
			for i, p := range alloc.Planes {
				req.Handles[i], req.Pitches[i], req.Offsets[i], req.Modifiers[i] = handle, p.Stride, p.Offset, m
			}
			id, ferr := r.f.AddFB2(req)
			if ferr == nil {
				require.NoError(t, r.f.RmFB(id))
			}

			assert.Equal(t, sz.ok, verr == nil, "layout.Validate: %v", verr)
			assert.Equal(t, sz.ok, ferr == nil, "AddFB2: %v", ferr)
			if verr != nil {
				assert.ErrorIs(t, verr, layout.ErrInvalidDimensions)
			}
			_, cerr := layout.Compute(info, m, sz.w, sz.h)
			assert.Equal(t, verr == nil, cerr == nil, "Compute refuses exactly what Validate refuses: %v", cerr)
		})
	}
}
