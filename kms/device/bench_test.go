package device

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
)

// fourPlaneRequest builds what libliftoff tests every frame on intel-like's
// first pipe: primary, both sprites and the cursor, each fully specified.
func fourPlaneRequest(b *testing.B, r *rig) *Request {
	var req Request
	planes := []*Plane{}
	for _, p := range r.d.planes {
		if p.prof.PossibleCRTCs&1 != 0 {
			planes = append(planes, p)
		}
	}
	require.Len(b, planes, 4)
	for i, p := range planes {
		f := fourcc.ARGB8888
		w, h := uint32(256), uint32(256)
		if i == 0 {
			f, w, h = fourcc.XRGB8888, r.w, r.h
		}
		fb := r.fb(w, h, f)
		r.planeProps(&req, p, r.crtc, fb, int32(i*10), int32(i*10), w, h)
		if id := p.PropertyID("alpha"); id != 0 {
			req.Add(p.id, id, 0x8000)
		}
	}
	return &req
}

func BenchmarkTestOnlyCommit4Planes(b *testing.B) {
	r := newRig(b, "intel-like")
	r.modeset()
	req := fourPlaneRequest(b, r)
	ctx := context.Background()
	require.NoError(b, r.f.Commit(ctx, req, AtomicTestOnly, 0))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.f.Commit(ctx, req, AtomicTestOnly, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommitWithFlipEvent is one frame of a compositor: a nonblocking
// commit of a new primary framebuffer with a page-flip event, the vblank
// that flips it, and reading the event.
func BenchmarkCommitWithFlipEvent(b *testing.B) {
	r := newRig(b, "vkms")
	r.modeset()
	fbs := [2]uint32{r.fb(r.w, r.h, fourcc.XRGB8888), r.fb(r.w, r.h, fourcc.XRGB8888)}
	var reqs [2]Request
	for i := range reqs {
		reqs[i].Add(r.prim.id, r.prim.PropertyID("FB_ID"), uint64(fbs[i]))
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.f.Commit(ctx, &reqs[i&1], AtomicNonblock|PageFlipEvent, uint64(i)); err != nil {
			b.Fatal(err)
		}
		r.clk.Advance()
		if _, ok := r.f.PollEvent(); !ok {
			b.Fatal("no flip event")
		}
	}
}
