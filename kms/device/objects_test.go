package device

import (
	"context"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

func TestWritebackJobSignalsAfterItsFrame(t *testing.T) {
	r := newRig(t, "vkms")
	wb := r.d.Writeback()
	require.NotNil(t, wb)
	r.modeset()
	fb := r.fb(r.w, r.h, fourcc.XRGB8888)
	ptr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	var req Request
	req.Add(wb.id, wb.PropertyID("CRTC_ID"), uint64(r.crtc.id))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(fb))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_OUT_FENCE_PTR"), ptr)
	require.NoError(t, r.f.Commit(context.Background(), &req, AtomicNonblock|AtomicAllowModeset, 0))
	sf, err := r.f.TakeOutFence(ptr)
	require.NoError(t, err)
	assert.False(t, sf.Fence().IsSignaled())
	r.clk.Advance()
	assert.True(t, sf.Fence().IsSignaled())
	assert.Zero(t, sf.Fence().Error())
	// WRITEBACK_FB_ID is one-shot: it reads back as 0.
	props, err := r.f.ObjectProperties(wb.id, ObjectConnector)
	require.NoError(t, err)
	for _, pv := range props {
		if pv.Prop.Name() == "WRITEBACK_FB_ID" {
			assert.Zero(t, pv.Value)
		}
	}
}

func TestWritebackChecks(t *testing.T) {
	r := newRig(t, "vkms")
	wb := r.d.Writeback()
	r.modeset()
	cases := []struct {
		name  string
		build func(req *Request)
	}{
		{"wrong size", func(req *Request) {
			req.Add(wb.id, wb.PropertyID("CRTC_ID"), uint64(r.crtc.id))
			req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w/2, r.h, fourcc.XRGB8888)))
		}},
		{"format not listed", func(req *Request) {
			req.Add(wb.id, wb.PropertyID("CRTC_ID"), uint64(r.crtc.id))
			req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w, r.h, fourcc.ABGR8888)))
		}},
		{"framebuffer without CRTC", func(req *Request) {
			req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w, r.h, fourcc.XRGB8888)))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var req Request
			c.build(&req)
			err := r.f.Commit(context.Background(), &req, AtomicTestOnly|AtomicAllowModeset, 0)
			assert.ErrorIs(t, err, syscall.EINVAL)
		})
	}
}

func TestWritebackHiddenWithoutCap(t *testing.T) {
	r := newRig(t, "vkms")
	f := r.d.Open()
	defer f.Close()
	require.NoError(t, f.SetClientCap(ClientCapAtomic, 1))
	res, err := f.Resources()
	require.NoError(t, err)
	assert.NotContains(t, res.Connectors, r.d.Writeback().ID())
	var req Request
	req.Add(r.d.Writeback().ID(), r.d.Writeback().PropertyID("CRTC_ID"), 0)
	assert.ErrorIs(t, f.Commit(context.Background(), &req, AtomicTestOnly, 0), syscall.ENOENT)
}

func TestRmFBTakesItOffThePlanes(t *testing.T) {
	r := newRig(t, "vkms")
	fb := r.modeset()
	other := r.d.Open()
	defer other.Close()
	assert.ErrorIs(t, other.RmFB(fb), syscall.ENOENT, "only the owner may remove a framebuffer")
	require.NoError(t, r.f.RmFB(fb))
	_, err := r.d.FB2(fb)
	assert.ErrorIs(t, err, syscall.ENOENT)
	ps := r.d.PlaneState(r.prim)
	assert.Nil(t, ps.FB)
	assert.False(t, r.d.CRTCState(r.crtc).Active, "removing the primary's framebuffer switches the CRTC off")
	r.clk.Advance()
	assert.Nil(t, r.d.ScanoutPlaneState(r.prim).FB)
	// The id is free again and the next object takes it.
	again := r.fb(64, 64, fourcc.XRGB8888)
	assert.Equal(t, fb, again)
}

func TestAddFB2Errors(t *testing.T) {
	r := newRig(t, "intel-like")
	h, pitch, _, err := r.f.CreateDumb(256, 256, 32)
	require.NoError(t, err)
	base := FB2{Width: 256, Height: 256, Format: fourcc.XRGB8888, Handles: [4]uint32{h}, Pitches: [4]uint32{pitch}}
	cases := []struct {
		name  string
		edit  func(r *FB2)
		errno syscall.Errno
	}{
		{"bad flags", func(r *FB2) { r.Flags = 1 << 7 }, syscall.EINVAL},
		{"width too small", func(r *FB2) { r.Width = 1 }, syscall.EINVAL},
		{"height too large", func(r *FB2) { r.Height = 1 << 20 }, syscall.EINVAL},
		{"unknown format", func(r *FB2) { r.Format = 0x20202020 }, syscall.EINVAL},
		{"no handle", func(r *FB2) { r.Handles[0] = 0 }, syscall.EINVAL},
		{"unknown handle", func(r *FB2) { r.Handles[0] = 999 }, syscall.ENOENT},
		{"pitch too small", func(r *FB2) { r.Pitches[0] = 1000 }, syscall.EINVAL},
		{"pitch overflow", func(r *FB2) { r.Pitches[0] = 1 << 31 }, syscall.ERANGE},
		{"modifier without flag", func(r *FB2) { r.Modifiers[0] = modifier.IntelXTiled }, syscall.EINVAL},
		{"stray second plane", func(r *FB2) { r.Flags = FBModifiers; r.Handles[1] = h }, syscall.EINVAL},
		{"no plane takes it", func(r *FB2) { r.Format = fourcc.NV24 }, syscall.EINVAL},
		{"buffer too small", func(r *FB2) { r.Height = 300 }, syscall.EINVAL},
		{"X tiling needs tile-aligned pitch", func(r *FB2) { r.Flags = FBModifiers; r.Modifiers[0] = modifier.IntelXTiled; r.Pitches[0] = 1088 }, syscall.EINVAL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := base
			c.edit(&req)
			_, err := r.f.AddFB2(req)
			assert.ErrorIs(t, err, c.errno)
		})
	}
	id, err := r.f.AddFB2(base)
	require.NoError(t, err)
	info, err := r.d.FB2(id)
	require.NoError(t, err)
	assert.Equal(t, fourcc.XRGB8888, info.Format)
	assert.Equal(t, modifier.Linear, info.Modifier)
}

func TestCCSImportableButOnlyOnPrimary(t *testing.T) {
	r := newRig(t, "intel-like")
	r.modeset()
	fb := r.fbMod(256, 256, fourcc.XRGB8888, modifier.IntelYTiledCCS)
	var overlay *Plane
	for _, p := range r.d.planes {
		if p.Type() == 0 && p.prof.PossibleCRTCs&1 != 0 {
			overlay = p
			break
		}
	}
	var req Request
	r.planeProps(&req, overlay, r.crtc, fb, 0, 0, 256, 256)
	assert.ErrorIs(t, r.f.Commit(context.Background(), &req, AtomicTestOnly, 0), syscall.EINVAL)
	req.Reset()
	r.planeProps(&req, r.prim, r.crtc, fb, 0, 0, 256, 256)
	assert.NoError(t, r.f.Commit(context.Background(), &req, AtomicTestOnly, 0))
}

func TestSpriteColorkey(t *testing.T) {
	r := newRig(t, "intel-like")
	r.modeset()
	var sprites []*Plane
	for _, p := range r.d.planes {
		if p.Type() == 0 && p.prof.PossibleCRTCs&1 != 0 {
			sprites = append(sprites, p)
		}
	}
	require.Len(t, sprites, 2)
	ctx := context.Background()
	cases := []struct {
		name  string
		plane uint32
		ck    I915Colorkey
		errno syscall.Errno
	}{
		{"primary", r.prim.id, I915Colorkey{Flags: I915ColorkeySource}, syscall.ENOENT},
		{"cursor", r.crtc.cursor.id, I915Colorkey{Flags: I915ColorkeySource}, syscall.ENOENT},
		{"id 0", 0, I915Colorkey{Flags: I915ColorkeySource}, syscall.ENOENT},
		{"unknown flag", sprites[0].id, I915Colorkey{Flags: 1 << 5}, syscall.EINVAL},
		{"source and destination", sprites[0].id, I915Colorkey{Flags: I915ColorkeySource | I915ColorkeyDestination}, syscall.EINVAL},
		{"destination on second sprite", sprites[1].id, I915Colorkey{Flags: I915ColorkeyDestination}, syscall.EINVAL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.ErrorIs(t, r.f.SetSpriteColorkey(ctx, c.plane, c.ck), c.errno)
		})
	}
	// Show the sprite so that the key change has a CRTC to flip on.
	var show Request
	r.planeProps(&show, sprites[0], r.crtc, r.fb(64, 64, fourcc.ARGB8888), 0, 0, 64, 64)
	require.NoError(t, r.f.Commit(ctx, &show, AtomicNonblock, 0))
	r.clk.Advance()
	key := I915Colorkey{Min: 0x00ff00, Max: 0x00ff00, Mask: 0xffffff, Flags: I915ColorkeySource | I915ColorkeyNone}
	done := make(chan error, 1)
	go func() { done <- r.f.SetSpriteColorkey(ctxT(t), sprites[0].id, key) }()
	r.waitQueued(done)
	r.clk.Advance()
	require.NoError(t, <-done)
	key.Flags = I915ColorkeySource
	assert.Equal(t, key, r.d.ScanoutPlaneState(sprites[0]).I915Colorkey)

	v := newRig(t, "vkms")
	assert.ErrorIs(t, v.f.SetSpriteColorkey(ctx, v.prim.id, key), syscall.EINVAL, "no i915 interface on vkms")
}
