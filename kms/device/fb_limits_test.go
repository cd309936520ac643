package device

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// DRM_IOCTL_MODE_CREATE_DUMB through the shmem helpers
// (drm_gem_shmem_dumb_create): pitch = DIV_ROUND_UP(width * bpp, 8), size
// the pitch times the height rounded up to a page.
func TestCreateDumbPitchRoundsUp(t *testing.T) {
	r := newRig(t, "vkms")
	cases := []struct {
		w, h, bpp uint32
		pitch     uint32
		size      uint64
	}{
		{1, 1, 1, 1, 4096},
		{3, 1, 8, 3, 4096},
		{9, 2, 1, 2, 4096},
		{64, 64, 32, 256, 16384},
		{1025, 1, 32, 4100, 8192},
	}
	for _, c := range cases {
		_, pitch, size, err := r.f.CreateDumb(c.w, c.h, c.bpp)
		require.NoError(t, err)
		assert.Equal(t, c.pitch, pitch, "%dx%d bpp %d", c.w, c.h, c.bpp)
		assert.Equal(t, c.size, size, "%dx%d bpp %d", c.w, c.h, c.bpp)
	}
}

// The edges of drm_internal_framebuffer_create and framebuffer_check
// (drm_framebuffer.c), in the kernel's order:
//   - min_width/max_width and the heights are inclusive limits
//     (config->min_width > r->width || r->width > config->max_width);
//   - height * pitch + offset may reach UINT_MAX; only above it is ERANGE,
//     and a buffer too small for it is the GEM helper's EINVAL;
//   - a pitch below the minimum is EINVAL in framebuffer_check, before the
//     driver's fb_create looks up the handles (ENOENT);
//   - with DRM_MODE_FB_MODIFIERS every plane's modifier must equal plane
//     0's.
func TestAddFB2Edges(t *testing.T) {
	r := newRig(t, "vkms")
	h, pitch, _, err := r.f.CreateDumb(8192, MinHeight, 32)
	require.NoError(t, err)
	res, err := r.f.Resources()
	require.NoError(t, err)
	require.Equal(t, uint32(8192), res.MaxWidth)
	nv12, err := r.f.ImportBuffer(make([]byte, 64*64*3/2))
	require.NoError(t, err)
	xrgb := func(w, hgt uint32) FB2 {
		return FB2{Width: w, Height: hgt, Format: fourcc.XRGB8888, Handles: [4]uint32{h}, Pitches: [4]uint32{pitch}}
	}
	cases := []struct {
		name  string
		req   FB2
		errno syscall.Errno // 0: accepted
	}{
		{"minimum size", xrgb(MinWidth, MinHeight), 0},
		{"maximum width", xrgb(8192, MinHeight), 0},
		{"below the minimum width", xrgb(MinWidth-1, MinHeight), syscall.EINVAL},
		{"below the minimum height", xrgb(MinWidth, MinHeight-1), syscall.EINVAL},
		{"height * pitch + offset at UINT_MAX", func() FB2 {
			q := xrgb(64, MinHeight)
			q.Pitches[0] = 256
			q.Offsets[0] = 0xffffffff - 256*MinHeight
			return q
		}(), syscall.EINVAL},
		{"height * pitch + offset above UINT_MAX", func() FB2 {
			q := xrgb(64, MinHeight)
			q.Pitches[0] = 256
			q.Offsets[0] = 0xffffffff - 256*MinHeight + 1
			return q
		}(), syscall.ERANGE},
		{"small pitch before unknown handle", func() FB2 {
			q := xrgb(64, MinHeight)
			q.Handles[0], q.Pitches[0] = 999, 4
			return q
		}(), syscall.EINVAL},
		{"NV12 planes with different modifiers", FB2{Width: 64, Height: 64, Format: fourcc.NV12, Flags: FBModifiers,
			Handles: [4]uint32{nv12, nv12}, Pitches: [4]uint32{64, 64}, Offsets: [4]uint32{0, 64 * 64},
			Modifiers: [4]modifier.Modifier{modifier.Linear, modifier.IntelXTiled}}, syscall.EINVAL},
		{"NV12 planes with one modifier", FB2{Width: 64, Height: 64, Format: fourcc.NV12, Flags: FBModifiers,
			Handles: [4]uint32{nv12, nv12}, Pitches: [4]uint32{64, 64}, Offsets: [4]uint32{0, 64 * 64}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := r.f.AddFB2(c.req)
			if c.errno == 0 {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, c.errno)
			}
		})
	}
}

// Without DRM_MODE_FB_MODIFIERS framebuffer_check skips the planes a format
// does not have, so stray pitches and offsets there are accepted, and
// DRM_IOCTL_MODE_GETFB2 reports only the format's planes
// (drm_mode_getfb2_ioctl zeroes the rest).
func TestAddFB2IgnoresUnusedPlanesWithoutModifiers(t *testing.T) {
	r := newRig(t, "vkms")
	h, pitch, _, err := r.f.CreateDumb(64, 64, 32)
	require.NoError(t, err)
	id, err := r.f.AddFB2(FB2{Width: 64, Height: 64, Format: fourcc.XRGB8888,
		Handles: [4]uint32{h}, Pitches: [4]uint32{pitch, 512, 512}, Offsets: [4]uint32{0, 64, 128}})
	require.NoError(t, err)
	info, err := r.d.FB2(id)
	require.NoError(t, err)
	assert.Equal(t, [4]uint32{pitch}, info.Pitches)
	assert.Equal(t, [4]uint32{}, info.Offsets)
}

// DRM_IOCTL_MODE_RMFB takes the framebuffer off the file's list, which
// DRM_IOCTL_MODE_GETRESOURCES walks (file_priv->fbs): the others stay.
func TestRmFBLeavesTheFilesOtherFramebuffers(t *testing.T) {
	r := newRig(t, "vkms")
	a := r.fb(64, 64, fourcc.XRGB8888)
	b := r.fb(64, 64, fourcc.XRGB8888)
	c := r.fb(64, 64, fourcc.XRGB8888)
	require.NoError(t, r.f.RmFB(b))
	res, err := r.f.Resources()
	require.NoError(t, err)
	assert.Equal(t, []uint32{a, c}, res.FBs)
}

// MaxBlobSize is an inclusive bound, as the kernel's INT_MAX bound in
// drm_property_create_blob (length > limit is EINVAL).
func TestCreateBlobMaxSize(t *testing.T) {
	r := newRig(t, "vkms")
	data := make([]byte, MaxBlobSize+1)
	_, err := r.f.CreateBlob(data)
	assert.ErrorIs(t, err, syscall.EINVAL)
	id, err := r.f.CreateBlob(data[:MaxBlobSize])
	require.NoError(t, err)
	require.NoError(t, r.f.DestroyBlob(id))
}

// Removing the framebuffer of one pipe's primary switches that pipe off
// (drm_framebuffer_remove's atomic_remove_fb: the CRTC goes inactive and
// the connectors on it lose their CRTC), and only that pipe: the other
// pipe's connector keeps its CRTC, as GETCONNECTOR's encoder_id shows.
func TestRmFBDetachesOnlyItsPipesConnectors(t *testing.T) {
	r, ps := twoPipes(t)
	require.NoError(t, r.f.RmFB(ps[0].fb))
	in0, err := r.d.ConnectorInfo(ps[0].conn.id)
	require.NoError(t, err)
	assert.Zero(t, in0.EncoderID, "connector of the pipe switched off")
	in1, err := r.d.ConnectorInfo(ps[1].conn.id)
	require.NoError(t, err)
	assert.NotZero(t, in1.EncoderID, "connector of the other pipe")
	assert.True(t, r.d.CRTCState(ps[1].crtc).Active)
}
