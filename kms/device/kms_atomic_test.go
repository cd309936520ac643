package device

// The kms_atomic invalid-parameter subtests of IGT (tests/kms_atomic.c),
// one test per subtest and one t.Run per case, each asserting the exact
// errno and that a failed commit changed nothing a client can observe:
// committed and scanned-out states, queued commits, events, event space
// and the descriptor table.

import (
	"errors"
	"math"
	"slices"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/kms/uaccess"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/syncobj/fence"
)

// kaPlane is a PlaneState with its pointers replaced by ids, so snapshots
// compare by identity and print readably.
type kaPlane struct {
	S         PlaneState
	CRTC, FB  uint32
	HasFence  bool
	FenceSeq  uint64
	FenceCtx  uint64
	FenceDone bool
}

type kaCRTC struct {
	S                  CRTCState
	ModeBlob, GammaLUT uint32
}

type kaConn struct {
	CRTC, WritebackFB uint32
}

// kaSnapshot is everything a failed commit must leave as it was.
type kaSnapshot struct {
	Planes, HWPlanes []kaPlane
	CRTCs, HWCRTCs   []kaCRTC
	Conns            []kaConn
	Queue            int
	Events           []Event
	EventSpace       int
	FDs              []int32
}

func kaPlaneOf(ps PlaneState) kaPlane {
	p := kaPlane{}
	if ps.CRTC != nil {
		p.CRTC = ps.CRTC.id
	}
	if ps.FB != nil {
		p.FB = ps.FB.id
	}
	if ps.InFence != nil {
		p.HasFence = true
		p.FenceSeq = ps.InFence.Seqno()
		p.FenceCtx = ps.InFence.Context().ID()
	}
	ps.CRTC, ps.FB, ps.InFence = nil, nil, nil
	p.S = ps
	return p
}

func kaCRTCOf(cs CRTCState) kaCRTC {
	c := kaCRTC{}
	if cs.ModeBlob != nil {
		c.ModeBlob = cs.ModeBlob.id
	}
	if cs.GammaLUT != nil {
		c.GammaLUT = cs.GammaLUT.id
	}
	cs.ModeBlob, cs.GammaLUT = nil, nil
	c.S = cs
	return c
}

func kaSnap(r *rig) kaSnapshot {
	d := r.d
	d.mu.Lock()
	defer d.mu.Unlock()
	var s kaSnapshot
	for i := range d.sw.planes {
		s.Planes = append(s.Planes, kaPlaneOf(d.sw.planes[i]))
		s.HWPlanes = append(s.HWPlanes, kaPlaneOf(d.hw.planes[i]))
	}
	for i := range d.sw.crtcs {
		s.CRTCs = append(s.CRTCs, kaCRTCOf(d.sw.crtcs[i]))
		s.HWCRTCs = append(s.HWCRTCs, kaCRTCOf(d.hw.crtcs[i]))
	}
	for _, cs := range d.sw.conns {
		var c kaConn
		if cs.CRTC != nil {
			c.CRTC = cs.CRTC.id
		}
		if cs.WritebackFB != nil {
			c.WritebackFB = cs.WritebackFB.id
		}
		s.Conns = append(s.Conns, c)
	}
	s.Queue = len(d.queue)
	s.Events = append([]Event(nil), r.f.events...)
	s.EventSpace = r.f.eventSpace
	for fd := range r.f.fds {
		s.FDs = append(s.FDs, fd)
	}
	slices.Sort(s.FDs)
	return s
}

// kaFail asserts that err carries errno and that the device looks exactly
// as it did in before.
func kaFail(t testing.TB, r *rig, before kaSnapshot, err error, errno syscall.Errno) {
	t.Helper()
	require.Error(t, err, "want %v", errno)
	require.ErrorIs(t, err, errno, "got %v", err)
	require.Equal(t, before, kaSnap(r), "a failed commit changed the device")
}

// kaFenceOps is the tiny fence implementation the tests signal by hand, as
// IGT uses a sw_sync timeline.
type kaFenceOps struct{}

func (kaFenceOps) DriverName() string               { return "kms_atomic_test" }
func (kaFenceOps) TimelineName(*fence.Fence) string { return "sw_sync" }

// kaPendingFence installs an unsignalled fence in the file's table.
func kaPendingFence(t testing.TB, r *rig) (int32, *fence.Fence) {
	t.Helper()
	fe := fence.New(kaFenceOps{}, fence.AllocContext(), 1)
	fd, err := r.f.InstallFence(fe)
	require.NoError(t, err)
	return fd, fe
}

// kaLitRig is IGT's atomic_setup: the primary shows a full-screen
// framebuffer on CRTC 0.
// kaTestOnly commits req TEST_ONLY and expects errno, or success for 0; a
// refused commit must leave the device as it was (kaFail).
func kaTestOnly(t testing.TB, r *rig, req *Request, errno syscall.Errno) {
	t.Helper()
	before := kaSnap(r)
	err := r.f.Commit(ctxT(t), req, AtomicTestOnly, 0)
	if errno == 0 {
		require.NoError(t, err)
		return
	}
	kaFail(t, r, before, err, errno)
}

func kaLitRig(t testing.TB, name string) (*rig, uint32) {
	r := newRig(t, name)
	return r, r.modeset()
}

// kaPlaneReq is what plane_commit_atomic_err sends: every property of the
// primary at its current value; tweak overrides one of them (libdrm
// semantics: the later Add wins).
func kaPlaneReq(r *rig, fb uint32, tweak func(*Request)) *Request {
	var req Request
	r.planeProps(&req, r.prim, r.crtc, fb, 0, 0, r.w, r.h)
	if tweak != nil {
		tweak(&req)
	}
	return &req
}

// kaCRTCReq is what crtc_commit_atomic_err sends: the CRTC's properties
// and the primary's.
func kaCRTCReq(r *rig, fb uint32, tweak func(*Request)) *Request {
	req := kaPlaneReq(r, fb, nil)
	req.Add(r.crtc.id, r.crtc.PropertyID("ACTIVE"), 1)
	req.Add(r.crtc.id, r.crtc.PropertyID("MODE_ID"), uint64(r.mode))
	if tweak != nil {
		tweak(req)
	}
	return req
}

func (r *rig) kaSet(req *Request, obj uint32, props interface{ PropertyID(string) uint32 }, name string, v uint64) {
	r.t.Helper()
	id := props.PropertyID(name)
	require.NotZero(r.t, id, "no property %q", name)
	req.Add(obj, id, v)
}

func TestKMSAtomicPlaneInvalidParams(t *testing.T) {
	type tc struct {
		name  string
		tweak func(r *rig, fb uint32, req *Request)
		errno syscall.Errno
	}
	fbID := func(v func(r *rig) uint64) func(r *rig, fb uint32, req *Request) {
		return func(r *rig, fb uint32, req *Request) { r.kaSet(req, r.prim.id, r.prim, "FB_ID", v(r)) }
	}
	crtcID := func(v func(r *rig, fb uint32) uint64) func(r *rig, fb uint32, req *Request) {
		return func(r *rig, fb uint32, req *Request) { r.kaSet(req, r.prim.id, r.prim, "CRTC_ID", v(r, fb)) }
	}
	cases := []tc{
		{"FBIDIsPlaneID", fbID(func(r *rig) uint64 { return uint64(r.prim.id) }), syscall.EINVAL},
		{"FBIDIsCRTCID", fbID(func(r *rig) uint64 { return uint64(r.crtc.id) }), syscall.EINVAL},
		{"FBIDIsConnectorID", fbID(func(r *rig) uint64 { return uint64(r.conn.id) }), syscall.EINVAL},
		{"FBIDIsModeBlobID", fbID(func(r *rig) uint64 { return uint64(r.mode) }), syscall.EINVAL},
		{"FBIDZeroWithCRTCSet", fbID(func(r *rig) uint64 { return 0 }), syscall.EINVAL},
		{"CRTCIDIsPlaneID", crtcID(func(r *rig, fb uint32) uint64 { return uint64(r.prim.id) }), syscall.EINVAL},
		{"CRTCIDIsFBID", crtcID(func(r *rig, fb uint32) uint64 { return uint64(fb) }), syscall.EINVAL},
		{"CRTCIDIsConnectorID", crtcID(func(r *rig, fb uint32) uint64 { return uint64(r.conn.id) }), syscall.EINVAL},
		{"CRTCIDIsModeBlobID", crtcID(func(r *rig, fb uint32) uint64 { return uint64(r.mode) }), syscall.EINVAL},
		{"CRTCIDZeroWithFBSet", crtcID(func(r *rig, fb uint32) uint64 { return 0 }), syscall.EINVAL},
		{"FBOnePixelSmallerThanSrc", func(r *rig, fb uint32, req *Request) {
			small := r.fb(r.w-1, r.h-1, fourcc.XRGB8888)
			r.kaSet(req, r.prim.id, r.prim, "FB_ID", uint64(small))
		}, syscall.ENOSPC},
		// CRTC_W is a range property 0..INT_MAX, so drm_property_change_valid_get
		// refuses larger values before any check runs.
		{"CRTCWAboveIntMax", func(r *rig, fb uint32, req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "CRTC_W", math.MaxInt32+1)
		}, syscall.EINVAL},
		// Both values are in range, only their sum overflows: drm_atomic_plane_check's ERANGE.
		{"CRTCXPlusCRTCWOverflows", func(r *rig, fb uint32, req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "CRTC_X", math.MaxInt32-10)
			r.kaSet(req, r.prim.id, r.prim, "CRTC_W", 100)
		}, syscall.ERANGE},
		{"CRTCYPlusCRTCHOverflows", func(r *rig, fb uint32, req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "CRTC_Y", math.MaxInt32)
			r.kaSet(req, r.prim.id, r.prim, "CRTC_H", 1)
		}, syscall.ERANGE},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "vkms")
			req := kaPlaneReq(r, fb, func(req *Request) { c.tweak(r, fb, req) })
			before := kaSnap(r)
			err := r.f.Commit(ctxT(t), req, 0, 0)
			kaFail(t, r, before, err, c.errno)
			// IGT then restores the plane: the same request without the
			// bad value must still go through.
			require.NoError(t, r.f.Commit(ctxT(t), kaPlaneReq(r, fb, nil), AtomicTestOnly, 0))
		})
	}
}

func TestKMSAtomicPlaneInvalidParamsFence(t *testing.T) {
	t.Run("InFenceFDIsDRMFD", func(t *testing.T) {
		r, fb := kaLitRig(t, "vkms")
		req := kaPlaneReq(r, fb, func(req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "IN_FENCE_FD", uint64(r.f.FD()))
		})
		before := kaSnap(r)
		kaFail(t, r, before, r.f.Commit(ctxT(t), req, 0, 0), syscall.EINVAL)
	})
	t.Run("ValidFenceCRTCIDAllOnes", func(t *testing.T) {
		r, fb := kaLitRig(t, "vkms")
		fd, fe := kaPendingFence(t, r)
		req := kaPlaneReq(r, fb, func(req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "CRTC_ID", uint64(^uint32(0)))
			r.kaSet(req, r.prim.id, r.prim, "IN_FENCE_FD", uint64(fd))
		})
		before := kaSnap(r)
		kaFail(t, r, before, r.f.Commit(ctxT(t), req, 0, 0), syscall.EINVAL)

		// IGT signals the timeline and commits with the right CRTC.
		require.NoError(t, fe.Signal())
		req = kaPlaneReq(r, fb, func(req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "IN_FENCE_FD", uint64(fd))
		})
		require.NoError(t, r.f.Commit(ctxT(t), req, AtomicNonblock, 0))
		r.clk.Advance()
		r.requireIdle()
	})
}

func TestKMSAtomicCRTCInvalidParams(t *testing.T) {
	type tc struct {
		name  string
		flags uint32
		tweak func(r *rig, fb uint32, req *Request)
		errno syscall.Errno // 0: must succeed
	}
	modeID := func(v func(r *rig, fb uint32) uint64) func(r *rig, fb uint32, req *Request) {
		return func(r *rig, fb uint32, req *Request) { r.kaSet(req, r.crtc.id, r.crtc, "MODE_ID", v(r, fb)) }
	}
	modeBlobOfSize := func(delta int) func(r *rig, fb uint32, req *Request) {
		return func(r *rig, fb uint32, req *Request) {
			b := r.conn.modes[0].Append(nil)
			if delta < 0 {
				b = b[:len(b)-1]
			} else {
				b = append(b, make([]byte, delta)...)
			}
			id, err := r.f.CreateBlob(b)
			require.NoError(t, err)
			r.kaSet(req, r.crtc.id, r.crtc, "MODE_ID", uint64(id))
		}
	}
	cases := []tc{
		{"ModeIDIsPlaneID", 0, modeID(func(r *rig, fb uint32) uint64 { return uint64(r.prim.id) }), syscall.EINVAL},
		{"ModeIDIsCRTCID", 0, modeID(func(r *rig, fb uint32) uint64 { return uint64(r.crtc.id) }), syscall.EINVAL},
		{"ModeIDIsFBID", 0, modeID(func(r *rig, fb uint32) uint64 { return uint64(fb) }), syscall.EINVAL},
		{"OldModeIDTestOnly", AtomicTestOnly, nil, 0},
		{"TestOnlyWithPageFlipEvent", AtomicTestOnly | PageFlipEvent, nil, syscall.EINVAL},
		{"ModeBlobSizeMinusOne", 0, modeBlobOfSize(-1), syscall.EINVAL},
		{"ModeBlobSizePlusOne", 0, modeBlobOfSize(1), syscall.EINVAL},
		// The same mode in a new blob of the right size is no modeset.
		{"ModeBlobRightSize", AtomicNonblock, modeBlobOfSize(0), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "vkms")
			req := kaCRTCReq(r, fb, func(req *Request) {
				if c.tweak != nil {
					c.tweak(r, fb, req)
				}
			})
			before := kaSnap(r)
			err := r.f.Commit(ctxT(t), req, c.flags, 0)
			if c.errno == 0 {
				require.NoError(t, err)
				if c.flags&AtomicTestOnly != 0 {
					require.Equal(t, before, kaSnap(r), "TEST_ONLY changed the device")
				}
				r.clk.Advance()
				r.requireIdle()
				return
			}
			kaFail(t, r, before, err, c.errno)
		})
	}
}

func TestKMSAtomicCRTCInvalidParamsFence(t *testing.T) {
	// OUT_FENCE_PTR into a page the kernel's put_user cannot write: the
	// property set itself fails (EFAULT), before any fence exists.
	for _, c := range []struct {
		name string
		prot uaccess.Prot
	}{
		{"OutFencePtrProtRead", uaccess.ProtRead},
		{"OutFencePtrProtExec", uaccess.ProtExec},
		{"OutFencePtrProtNone", uaccess.ProtNone},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "vkms")
			mem := r.f.Mem()
			addr, err := mem.Map(uaccess.PageSize, uaccess.ProtRead|uaccess.ProtWrite)
			require.NoError(t, err)
			require.NoError(t, mem.PutU32(addr, 0x7777))
			require.NoError(t, mem.Protect(addr, uaccess.PageSize, c.prot))
			req := kaCRTCReq(r, fb, func(req *Request) {
				r.kaSet(req, r.crtc.id, r.crtc, "OUT_FENCE_PTR", addr)
			})
			before := kaSnap(r)
			kaFail(t, r, before, r.f.Commit(ctxT(t), req, 0, 0), syscall.EFAULT)
		})
	}

	// inactive builds IGT's request with ACTIVE = 0 and an unsignalled
	// in-fence on the primary; without ALLOW_MODESET it is refused.
	inactive := func(r *rig, fb uint32, fd int32, outPtr uint64) *Request {
		return kaCRTCReq(r, fb, func(req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "IN_FENCE_FD", uint64(fd))
			r.kaSet(req, r.crtc.id, r.crtc, "ACTIVE", 0)
			if outPtr != 0 {
				r.kaSet(req, r.crtc.id, r.crtc, "OUT_FENCE_PTR", outPtr)
			}
		})
	}
	badMode := func(r *rig, fb uint32, fd int32, outPtr uint64) *Request {
		return kaCRTCReq(r, fb, func(req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "IN_FENCE_FD", uint64(fd))
			r.kaSet(req, r.crtc.id, r.crtc, "MODE_ID", uint64(fb))
			if outPtr != 0 {
				r.kaSet(req, r.crtc.id, r.crtc, "OUT_FENCE_PTR", outPtr)
			}
		})
	}
	for _, c := range []struct {
		name     string
		build    func(r *rig, fb uint32, fd int32, outPtr uint64) *Request
		outFence bool
		flags    uint32
	}{
		{"InFenceWithActiveZero", inactive, false, 0},
		{"OutFenceAndFlipEventWithActiveZero", inactive, true, PageFlipEvent},
		// IGT's comment for this step says "valid flip event", but its
		// code calls igt_pipe_request_out_fence again right before the
		// commit, so the request IGT sends carries OUT_FENCE_PTR too.
		{"FlipEventWithActiveZero", inactive, true, PageFlipEvent},
		{"InvalidModeIDWithOutFence", badMode, true, 0},
		{"InvalidModeIDWithOutFenceAndFlipEvent", badMode, true, PageFlipEvent},
		{"InvalidModeIDWithFlipEvent", badMode, false, PageFlipEvent},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "vkms")
			fd, _ := kaPendingFence(t, r)
			var ptr uint64
			if c.outFence {
				var err error
				ptr, err = r.f.NewOutFencePtr()
				require.NoError(t, err)
			}
			req := c.build(r, fb, fd, ptr)
			before := kaSnap(r)
			kaFail(t, r, before, r.f.Commit(ctxT(t), req, c.flags, 0), syscall.EINVAL)
			if c.outFence {
				v, err := r.f.Mem().GetU32(ptr)
				require.NoError(t, err)
				assert.Equal(t, int32(-1), int32(v), "a failed commit leaves -1 at OUT_FENCE_PTR")
				_, err = r.f.TakeOutFence(ptr)
				assert.ErrorIs(t, err, syscall.ENOENT, "a failed commit left an out-fence behind")
			}
		})
	}

	// A failure found by the check, after prepare_signaling made the
	// event and the out-fence, is undone by complete_signaling: the
	// descriptor and the event space come back and -1 is written back.
	t.Run("OutFenceAndEventUndoneOnENOSPC", func(t *testing.T) {
		r, fb := kaLitRig(t, "vkms")
		ptr, err := r.f.NewOutFencePtr()
		require.NoError(t, err)
		small := r.fb(r.w-1, r.h-1, fourcc.XRGB8888)
		req := kaCRTCReq(r, fb, func(req *Request) {
			r.kaSet(req, r.crtc.id, r.crtc, "OUT_FENCE_PTR", ptr)
			r.kaSet(req, r.prim.id, r.prim, "FB_ID", uint64(small))
		})
		before := kaSnap(r)
		kaFail(t, r, before, r.f.Commit(ctxT(t), req, AtomicNonblock|PageFlipEvent, 0), syscall.ENOSPC)
		v, err := r.f.Mem().GetU32(ptr)
		require.NoError(t, err)
		assert.Equal(t, int32(-1), int32(v))
	})

	t.Run("ActiveAgainTestOnly", func(t *testing.T) {
		r, fb := kaLitRig(t, "vkms")
		fd, _ := kaPendingFence(t, r)
		req := kaCRTCReq(r, fb, func(req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "IN_FENCE_FD", uint64(fd))
		})
		before := kaSnap(r)
		require.NoError(t, r.f.Commit(ctxT(t), req, AtomicTestOnly, 0))
		require.Equal(t, before, kaSnap(r))
	})

	t.Run("TestOnlyWithFencesLeavesMinusOne", func(t *testing.T) {
		r, fb := kaLitRig(t, "vkms")
		fd, _ := kaPendingFence(t, r)
		ptr, err := r.f.NewOutFencePtr()
		require.NoError(t, err)
		// Something other than -1, to see the kernel's put_user(-1) at
		// property-set time, which TEST_ONLY does too.
		require.NoError(t, r.f.Mem().PutU32(ptr, 0x1234))
		req := kaCRTCReq(r, fb, func(req *Request) {
			r.kaSet(req, r.prim.id, r.prim, "IN_FENCE_FD", uint64(fd))
			r.kaSet(req, r.crtc.id, r.crtc, "OUT_FENCE_PTR", ptr)
		})
		before := kaSnap(r)
		require.NoError(t, r.f.Commit(ctxT(t), req, AtomicTestOnly, 0))
		require.Equal(t, before, kaSnap(r), "TEST_ONLY created something")
		v, err := r.f.Mem().GetU32(ptr)
		require.NoError(t, err)
		assert.Equal(t, int32(-1), int32(v))
		_, err = r.f.TakeOutFence(ptr)
		require.ErrorIs(t, err, syscall.ENOENT)
	})

	t.Run("OutFenceWithoutEventReturnsFD", func(t *testing.T) {
		r, fb := kaLitRig(t, "vkms")
		ptr, err := r.f.NewOutFencePtr()
		require.NoError(t, err)
		req := kaCRTCReq(r, fb, func(req *Request) {
			r.kaSet(req, r.crtc.id, r.crtc, "OUT_FENCE_PTR", ptr)
		})
		require.NoError(t, r.f.Commit(ctxT(t), req, AtomicNonblock, 0))
		v, err := r.f.Mem().GetU32(ptr)
		require.NoError(t, err)
		require.NotEqual(t, int32(-1), int32(v))
		sf, err := r.f.TakeOutFence(ptr)
		require.NoError(t, err)
		defer sf.Close()
		fe := sf.Fence()
		require.False(t, fe.IsSignaled(), "signalled before the flip")
		r.clk.Advance()
		r.requireIdle()
		require.True(t, fe.IsSignaled(), "not signalled at the flip")
		_, ok := r.f.PollEvent()
		require.False(t, ok, "no event was asked for")
	})
}

// kaIoctl is IGT's struct drm_mode_atomic with its four arrays in the
// file's address space, one page each, so that the same arrays are
// mutated between calls the way atomic_invalid_params mutates its stack
// arrays.
type kaIoctl struct {
	r                           *rig
	args                        AtomicArgs
	objs, counts, props, values uint64
}

func newKAIoctl(t testing.TB, r *rig) *kaIoctl {
	mem := r.f.Mem()
	k := &kaIoctl{r: r}
	for _, p := range []*uint64{&k.objs, &k.counts, &k.props, &k.values} {
		addr, err := mem.Map(uaccess.PageSize, uaccess.ProtRead|uaccess.ProtWrite)
		require.NoError(t, err)
		*p = addr
	}
	return k
}

func (k *kaIoctl) putU32s(t testing.TB, base uint64, n int, v uint32) {
	for i := 0; i < n; i++ {
		require.NoError(t, k.r.f.Mem().PutU32(base+4*uint64(i), v))
	}
}

func (k *kaIoctl) putU64s(t testing.TB, base uint64, n int, v uint64) {
	for i := 0; i < n; i++ {
		require.NoError(t, k.r.f.Mem().PutU64(base+8*uint64(i), v))
	}
}

func TestKMSAtomicAtomicInvalidParams(t *testing.T) {
	r, _ := kaLitRig(t, "vkms")
	k := newKAIoctl(t, r)
	a := &k.args
	fb := r.d.PlaneState(r.prim).FB.ID()
	modeProp := r.crtc.PropertyID("MODE_ID")
	const nObjs, nProps = 16, 256

	steps := []struct {
		name  string
		do    func(t *testing.T)
		errno syscall.Errno // 0: must succeed
	}{
		{"EmptyRequest", func(*testing.T) {}, 0},
		{"ValidPointersCopyNothing", func(*testing.T) {
			a.ObjsPtr, a.CountPropsPtr, a.PropsPtr, a.PropValuesPtr = k.objs, k.counts, k.props, k.values
		}, 0},
		{"PageFlipEventOnEmptyRequest", func(*testing.T) { a.Flags = PageFlipEvent }, syscall.EINVAL},
		{"FlagsDeadbeef", func(*testing.T) { a.Flags = 0xdeadbeef }, syscall.EINVAL},
		{"FlagsReset", func(*testing.T) { a.Flags = 0 }, 0},
		{"Reserved", func(*testing.T) { a.Reserved = 1 }, syscall.EINVAL},
		{"ReservedReset", func(*testing.T) { a.Reserved = 0 }, 0},
		{"ObjectIDZero", func(*testing.T) { a.CountObjs = nObjs }, syscall.ENOENT},
		{"ObjectIsModeBlob", func(t *testing.T) {
			a.CountObjs = 1
			k.putU32s(t, k.objs, 1, r.mode)
		}, syscall.ENOENT},
		{"ObjectIsFB", func(t *testing.T) { k.putU32s(t, k.objs, 1, fb) }, syscall.ENOENT},
		{"CRTCWithoutProperties", func(t *testing.T) { k.putU32s(t, k.objs, nObjs, r.crtc.id) }, 0},
		{"PropertyIDZero", func(t *testing.T) { k.putU32s(t, k.counts, 1, 1) }, syscall.ENOENT},
		{"PropertyIsCRTCID", func(t *testing.T) { k.putU32s(t, k.props, 1, r.crtc.id) }, syscall.ENOENT},
		{"PropertyIsPlaneID", func(t *testing.T) { k.putU32s(t, k.props, 1, r.prim.id) }, syscall.ENOENT},
		{"PropertyIsConnectorID", func(t *testing.T) { k.putU32s(t, k.props, 1, r.conn.id) }, syscall.ENOENT},
		{"PropertyIsModeBlobID", func(t *testing.T) { k.putU32s(t, k.props, 1, r.mode) }, syscall.ENOENT},
		{"ValidModeID", func(t *testing.T) {
			k.putU32s(t, k.props, nProps, modeProp)
			k.putU64s(t, k.values, nProps, uint64(r.mode))
		}, 0},
		{"SameModeIDRepeatedly", func(t *testing.T) { k.putU32s(t, k.counts, nObjs, nProps/nObjs) }, 0},
		{"SameModeIDRepeatedlyAllObjects", func(*testing.T) { a.CountObjs = nObjs }, 0},
		{"NullObjsPtr", func(*testing.T) { a.ObjsPtr = 0 }, syscall.EFAULT},
		{"NullCountPropsPtr", func(*testing.T) { a.ObjsPtr, a.CountPropsPtr = k.objs, 0 }, syscall.EFAULT},
		{"NullPropsPtr", func(*testing.T) { a.CountPropsPtr, a.PropsPtr = k.counts, 0 }, syscall.EFAULT},
		{"NullPropValuesPtr", func(*testing.T) { a.PropsPtr, a.PropValuesPtr = k.props, 0 }, syscall.EFAULT},
		{"PointersRestored", func(*testing.T) { a.PropValuesPtr = k.values }, 0},
		// The kernel keeps reading object ids past the 16 IGT filled in,
		// into whatever follows obj_raw on IGT's stack, and meets an id
		// that is not a mode object before it meets an unmapped page.
		// The object array here is the start of a zeroed page, so the
		// 17th id read is 0 (never an object): ENOENT, deterministically.
		{"CountObjsUint32MaxOver4", func(*testing.T) { a.CountObjs = math.MaxUint32 / 4 }, syscall.ENOENT},
		{"ObjsPtrNearUint64Max", func(*testing.T) {
			a.CountObjs = nObjs
			a.ObjsPtr = math.MaxUint64 - 4
		}, syscall.EFAULT},
		{"ObjsPtrNearUint64MaxOneObject", func(*testing.T) { a.CountObjs = 1 }, syscall.EFAULT},
		// IGT leaves objs_ptr at UINT64_MAX-4 for the huge property counts
		// below, so the first object read already faults: EFAULT either way.
		{"HugeNumProps", func(t *testing.T) { k.putU32s(t, k.counts, 1, math.MaxUint32/4) }, syscall.EFAULT},
		{"NumPropsUint32MaxMinusOne", func(t *testing.T) { k.putU32s(t, k.counts, 1, math.MaxUint32-1) }, syscall.EFAULT},
		{"NumPropsOverflowSum", func(t *testing.T) { k.putU32s(t, k.counts, nObjs, math.MaxUint32/nObjs+1) }, syscall.EFAULT},
		{"NumPropsBackToSixteen", func(t *testing.T) { k.putU32s(t, k.counts, nObjs, nProps/nObjs) }, syscall.EFAULT},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.do(t)
			before := kaSnap(r)
			if s.errno == 0 {
				// IGT's accepted steps are blocking commits; on the
				// virtual clock a blocking commit that touches the CRTC
				// would wait for a vblank nobody advances, so the same
				// arguments go in with NONBLOCK and the clock is advanced
				// to the flip.
				nb := *a
				nb.Flags |= AtomicNonblock
				require.NoError(t, r.f.AtomicIoctl(ctxT(t), &nb))
				r.clk.Advance()
				r.requireIdle()
				return
			}
			kaFail(t, r, before, r.f.AtomicIoctl(ctxT(t), a), s.errno)
		})
	}
}

// With valid object and count arrays, a property count running past the
// end of the mapped property ids faults at the guard page that follows
// every mapping, as a huge num_props does on a real stack.
func TestKMSAtomicAtomicInvalidParamsHugeNumPropsValidObjs(t *testing.T) {
	r, _ := kaLitRig(t, "vkms")
	k := newKAIoctl(t, r)
	modeProp := r.crtc.PropertyID("MODE_ID")
	const perPage = uaccess.PageSize / 4
	k.putU32s(t, k.objs, 1, r.crtc.id)
	k.putU32s(t, k.counts, 1, math.MaxUint32/4)
	k.putU32s(t, k.props, perPage, modeProp)
	// Values need two pages for one page of property ids.
	values, err := r.f.Mem().Map(2*uaccess.PageSize, uaccess.ProtRead|uaccess.ProtWrite)
	require.NoError(t, err)
	k.putU64s(t, values, perPage, uint64(r.mode))
	k.args = AtomicArgs{CountObjs: 1, ObjsPtr: k.objs, CountPropsPtr: k.counts, PropsPtr: k.props, PropValuesPtr: values}
	before := kaSnap(r)
	kaFail(t, r, before, r.f.AtomicIoctl(ctxT(t), &k.args), syscall.EFAULT)
}

// kaOverlay returns the first overlay plane that can be on CRTC 0.
func kaOverlay(t testing.TB, r *rig) *Plane {
	t.Helper()
	for _, p := range r.d.planes {
		if p.Type() == profile.Overlay && p.prof.PossibleCRTCs&1 != 0 {
			return p
		}
	}
	require.FailNow(t, "profile has no overlay on CRTC 0")
	return nil
}

// plane-immutable-zpos: intel-like planes have immutable zpos, which no
// commit may set, not even to its current value (drm_property_change_valid_get
// refuses immutable properties outright); the planes still stack in that
// order.
func TestKMSAtomicPlaneImmutableZpos(t *testing.T) {
	for _, c := range []struct {
		name    string
		overlay bool
		value   func(p *Plane) uint64
	}{
		{"PrimarySameValue", false, func(p *Plane) uint64 { return uint64(p.prof.Zpos.Value) }},
		{"PrimaryOtherValue", false, func(p *Plane) uint64 { return uint64(p.prof.Zpos.Value) + 1 }},
		{"OverlaySameValue", true, func(p *Plane) uint64 { return uint64(p.prof.Zpos.Value) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "intel-like")
			p := r.prim
			if c.overlay {
				p = kaOverlay(t, r)
			}
			require.True(t, p.prof.Zpos.Immutable, "intel-like zpos must be immutable")
			req := kaPlaneReq(r, fb, func(req *Request) { r.kaSet(req, p.id, p, "zpos", c.value(p)) })
			before := kaSnap(r)
			kaFail(t, r, before, r.f.Commit(ctxT(t), req, AtomicNonblock, 0), syscall.EINVAL)
		})
	}
	t.Run("StackingFollowsImmutableZpos", func(t *testing.T) {
		r, fb := kaLitRig(t, "intel-like")
		ov := kaOverlay(t, r)
		require.Less(t, r.prim.prof.Zpos.Value, ov.prof.Zpos.Value)
		top := r.fb(64, 64, fourcc.XRGB8888)
		req := kaPlaneReq(r, fb, nil)
		r.planeProps(req, ov, r.crtc, top, 32, 32, 64, 64)
		require.NoError(t, r.f.Commit(ctxT(t), req, AtomicNonblock, 0))
		r.clk.Advance()
		r.requireIdle()
		assert.Equal(t, uint32(0), r.d.PlaneState(r.prim).NormalizedZpos)
		assert.Equal(t, uint32(1), r.d.PlaneState(ov).NormalizedZpos)
	})
}

// plane-primary-overlay-mutable-zpos on nvidia-like, whose primary and
// overlays have zpos 0..254: IGT's sequence of swaps, each reflected in the
// property value and in the normalised order, and an out-of-range value.
func TestKMSAtomicPlanePrimaryOverlayMutableZpos(t *testing.T) {
	r, fb := kaLitRig(t, "nvidia-like")
	ov := kaOverlay(t, r)
	require.False(t, r.prim.prof.Zpos.Immutable)
	require.False(t, ov.prof.Zpos.Immutable)
	ofb := r.fb(r.w/2, r.h/2, fourcc.XRGB8888)
	req := func(pz, oz uint64) *Request {
		q := kaPlaneReq(r, fb, nil)
		r.planeProps(q, ov, r.crtc, ofb, int32(r.w/4), int32(r.h/4), r.w/2, r.h/2)
		r.kaSet(q, r.prim.id, r.prim, "zpos", pz)
		r.kaSet(q, ov.id, ov, "zpos", oz)
		return q
	}
	for _, c := range []struct {
		name             string
		pz, oz           uint64
		wantPrim, wantOv uint32 // normalised zpos
	}{
		{"OverlayOnTop", 0, 1, 0, 1},
		{"PrimaryOnTop", 1, 0, 1, 0},
		{"BackToOverlayOnTop", 0, 1, 0, 1},
		// Equal zpos: drm_atomic_normalize_zpos breaks the tie by plane id.
		{"TieBrokenByPlaneID", 7, 7, 0, 1},
		{"HighestInRange", 254, 3, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, r.f.Commit(ctxT(t), req(c.pz, c.oz), AtomicNonblock, 0))
			r.clk.Advance()
			r.requireIdle()
			ps, os := r.d.PlaneState(r.prim), r.d.PlaneState(ov)
			assert.Equal(t, uint32(c.pz), ps.Zpos)
			assert.Equal(t, uint32(c.oz), os.Zpos)
			assert.Equal(t, c.wantPrim, ps.NormalizedZpos, "primary")
			assert.Equal(t, c.wantOv, os.NormalizedZpos, "overlay")
		})
	}
	for _, c := range []struct {
		name   string
		pz, oz uint64
	}{
		{"PrimaryOutOfRange", 255, 1},
		{"OverlayOutOfRange", 0, 1 << 32},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := kaSnap(r)
			kaFail(t, r, before, r.f.Commit(ctxT(t), req(c.pz, c.oz), AtomicNonblock, 0), syscall.EINVAL)
		})
	}
}

// A second nonblocking commit on a CRTC whose previous one has not flipped
// is EBUSY (drm_atomic_helper_setup_commit's stall check); TEST_ONLY never
// waits for anything, so it is never EBUSY.
func TestKMSAtomicNonblockBusy(t *testing.T) {
	r, fb := kaLitRig(t, "vkms")
	fb2 := r.fb(r.w, r.h, fourcc.XRGB8888)
	require.NoError(t, r.f.Commit(ctxT(t), kaPlaneReq(r, fb2, nil), AtomicNonblock, 0))
	back := kaPlaneReq(r, fb, nil)
	t.Run("SecondNonblockEBUSY", func(t *testing.T) {
		before := kaSnap(r)
		kaFail(t, r, before, r.f.Commit(ctxT(t), back, AtomicNonblock|PageFlipEvent, 0), syscall.EBUSY)
	})
	t.Run("TestOnlyNotBusy", func(t *testing.T) {
		before := kaSnap(r)
		require.NoError(t, r.f.Commit(ctxT(t), back, AtomicTestOnly|AtomicNonblock, 0))
		require.Equal(t, before, kaSnap(r))
	})
	t.Run("AfterFlipSucceeds", func(t *testing.T) {
		r.clk.Advance()
		r.requireIdle()
		require.Equal(t, fb2, r.d.ScanoutPlaneState(r.prim).FB.ID())
		require.NoError(t, r.f.Commit(ctxT(t), back, AtomicNonblock, 0))
		r.clk.Advance()
		r.requireIdle()
		require.Equal(t, fb, r.d.ScanoutPlaneState(r.prim).FB.ID())
	})
}

// A request that needs a full modeset is EINVAL without ALLOW_MODESET and
// fine (here TEST_ONLY) with it.
func TestKMSAtomicModesetWithoutAllowModeset(t *testing.T) {
	for _, c := range []struct {
		name  string
		tweak func(r *rig, req *Request)
	}{
		{"ModeChange", func(r *rig, req *Request) {
			r.kaSet(req, r.crtc.id, r.crtc, "MODE_ID", uint64(r.modeBlob(r.conn.modes[1])))
		}},
		{"ActiveOff", func(r *rig, req *Request) { r.kaSet(req, r.crtc.id, r.crtc, "ACTIVE", 0) }},
		{"ConnectorOff", func(r *rig, req *Request) {
			r.kaSet(req, r.conn.id, r.conn, "CRTC_ID", 0)
			r.kaSet(req, r.crtc.id, r.crtc, "MODE_ID", 0)
			r.kaSet(req, r.crtc.id, r.crtc, "ACTIVE", 0)
			r.kaSet(req, r.prim.id, r.prim, "FB_ID", 0)
			r.kaSet(req, r.prim.id, r.prim, "CRTC_ID", 0)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, _ := kaLitRig(t, "vkms")
			var req Request
			c.tweak(r, &req)
			before := kaSnap(r)
			kaFail(t, r, before, r.f.Commit(ctxT(t), &req, AtomicNonblock, 0), syscall.EINVAL)
			require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicTestOnly|AtomicAllowModeset, 0))
			require.Equal(t, before, kaSnap(r), "TEST_ONLY changed the device")
		})
	}
}

// test-only: a TEST_ONLY modeset (and later a TEST_ONLY disable) changes
// no state and creates no out-fence descriptor.
func TestKMSAtomicTestOnly(t *testing.T) {
	r := newRig(t, "vkms")
	require.Nil(t, r.d.CRTCState(r.crtc).ModeBlob, "IGT starts with no mode")
	fb := r.fb(r.w, r.h, fourcc.XRGB8888)
	ptr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	enable := kaCRTCReq(r, fb, func(req *Request) {
		r.kaSet(req, r.conn.id, r.conn, "CRTC_ID", uint64(r.crtc.id))
		r.kaSet(req, r.crtc.id, r.crtc, "OUT_FENCE_PTR", ptr)
	})
	t.Run("Enable", func(t *testing.T) {
		before := kaSnap(r)
		require.NoError(t, r.f.Commit(ctxT(t), enable, AtomicTestOnly|AtomicAllowModeset, 0))
		require.Equal(t, before, kaSnap(r))
		_, err := r.f.TakeOutFence(ptr)
		require.ErrorIs(t, err, syscall.ENOENT)
	})
	t.Run("Disable", func(t *testing.T) {
		require.NoError(t, r.f.Commit(ctxT(t), enable, AtomicNonblock|AtomicAllowModeset, 0))
		sf, err := r.f.TakeOutFence(ptr)
		require.NoError(t, err, "the real commit returns an out-fence")
		require.NoError(t, sf.Close())
		r.clk.Advance()
		r.requireIdle()
		var off Request
		off.Add(r.conn.id, r.conn.PropertyID("CRTC_ID"), 0)
		off.Add(r.crtc.id, r.crtc.PropertyID("MODE_ID"), 0)
		off.Add(r.crtc.id, r.crtc.PropertyID("ACTIVE"), 0)
		off.Add(r.crtc.id, r.crtc.PropertyID("OUT_FENCE_PTR"), ptr)
		r.planeProps(&off, r.prim, nil, 0, 0, 0, 0, 0)
		before := kaSnap(r)
		require.NoError(t, r.f.Commit(ctxT(t), &off, AtomicTestOnly|AtomicAllowModeset, 0))
		require.Equal(t, before, kaSnap(r))
		_, err = r.f.TakeOutFence(ptr)
		require.ErrorIs(t, err, syscall.ENOENT)
		require.True(t, r.d.PlaneState(r.prim).Visible)
	})
}

// kaBytes hands out fuzz input bytes, zeros once they run out.
type kaBytes []byte

func (b *kaBytes) next() byte {
	if len(*b) == 0 {
		return 0
	}
	v := (*b)[0]
	*b = (*b)[1:]
	return v
}

func (b *kaBytes) u64() uint64 {
	var v uint64
	for i := 0; i < 8; i++ {
		v = v<<8 | uint64(b.next())
	}
	return v
}

// FuzzAtomicIoctl throws random struct drm_mode_atomic arguments, with
// small arrays of ids and values drawn mostly from the device's real
// objects and properties, at a lit vkms device. The ioctl must never
// panic, every error must be one a kernel atomic commit returns, and a
// failed or TEST_ONLY commit must change nothing.
func FuzzAtomicIoctl(f *testing.F) {
	f.Add(uint32(0), uint8(0), []byte{})
	f.Add(AtomicTestOnly, uint8(0), []byte{1, 2, 1, 7, 5, 3, 9})
	f.Add(AtomicAllowModeset, uint8(0x55), []byte{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5})
	f.Add(PageFlipEvent, uint8(0), []byte{1, 2, 2, 1, 0x81, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(uint32(0xdeadbeef), uint8(0xff), []byte{5, 5, 5, 5})
	f.Fuzz(func(t *testing.T, flags uint32, ptrSel uint8, data []byte) {
		r, fb := kaLitRig(t, "vkms")
		mem := r.f.Mem()
		// A signalled fence only: an unsignalled one would leave an
		// accepted commit pending forever.
		sigFD, err := r.f.InstallFence(fence.NewSignaled())
		require.NoError(t, err)
		outPtr, err := r.f.NewOutFencePtr()
		require.NoError(t, err)
		roPtr, err := mem.Map(uaccess.PageSize, uaccess.ProtRead)
		require.NoError(t, err)

		var objIDs, propIDs []uint32
		for _, p := range r.d.planes {
			objIDs = append(objIDs, p.id)
			for _, a := range p.props {
				propIDs = append(propIDs, a.prop.id)
			}
		}
		for _, c := range r.d.crtcs {
			objIDs = append(objIDs, c.id)
			for _, a := range c.props {
				propIDs = append(propIDs, a.prop.id)
			}
		}
		for _, c := range r.d.connectors {
			objIDs = append(objIDs, c.id)
			for _, a := range c.props {
				propIDs = append(propIDs, a.prop.id)
			}
		}
		objIDs = append(objIDs, 0, fb, r.mode, ^uint32(0))
		values := []uint64{0, 1, ^uint64(0), uint64(fb), uint64(r.mode), uint64(r.crtc.id),
			uint64(r.prim.id), uint64(sigFD), uint64(r.f.FD()), outPtr, roPtr, 1 << 16, math.MaxInt32}

		in := kaBytes(data)
		var objs, counts, props []uint32
		var vals []uint64
		for n := int(in.next() % 6); n > 0; n-- {
			objs = append(objs, objIDs[int(in.next())%len(objIDs)])
			cnt := uint32(in.next() % 5)
			counts = append(counts, cnt)
			for ; cnt > 0; cnt-- {
				sel := in.next()
				if sel&0x80 != 0 {
					props = append(props, uint32(in.u64()))
				} else {
					props = append(props, propIDs[int(sel)%len(propIDs)])
				}
				sel = in.next()
				if sel&0x80 != 0 {
					vals = append(vals, in.u64())
				} else {
					vals = append(vals, values[int(sel)%len(values)])
				}
			}
		}
		// Each array gets its own zeroed page (plus guard), so reads past
		// what was written find zeros, then fault.
		place := func(u32 []uint32, u64 []uint64) uint64 {
			addr, err := mem.Map(uaccess.PageSize, uaccess.ProtRead|uaccess.ProtWrite)
			require.NoError(t, err)
			for i, v := range u32 {
				require.NoError(t, mem.PutU32(addr+4*uint64(i), v))
			}
			for i, v := range u64 {
				require.NoError(t, mem.PutU64(addr+8*uint64(i), v))
			}
			return addr
		}
		ptrs := [4]uint64{place(objs, nil), place(counts, nil), place(props, nil), place(nil, vals)}
		for i := range ptrs {
			switch (ptrSel >> (2 * i)) & 3 {
			case 1:
				ptrs[i] = 0
			case 2:
				ptrs[i] = math.MaxUint64 - 4
			}
		}
		// A blocking commit would wait for a vblank nobody advances.
		if flags&AtomicTestOnly == 0 {
			flags |= AtomicNonblock
		}
		a := AtomicArgs{
			Flags: flags, CountObjs: uint32(len(objs)) + uint32(in.next()%3),
			ObjsPtr: ptrs[0], CountPropsPtr: ptrs[1], PropsPtr: ptrs[2], PropValuesPtr: ptrs[3],
			Reserved: uint64(in.next() / 250), UserData: 42,
		}
		before := kaSnap(r)
		// A panic is left to propagate: the fuzzer reports it, and
		// recovering here would leave the device lock held.
		ierr := r.f.AtomicIoctl(ctxT(t), &a)
		if ierr == nil {
			if flags&AtomicTestOnly != 0 {
				require.Equal(t, before, kaSnap(r), "TEST_ONLY changed the device")
			}
			return
		}
		ok := false
		for _, e := range []syscall.Errno{syscall.EINVAL, syscall.ENOENT, syscall.EFAULT, syscall.ENOSPC, syscall.ERANGE, syscall.EBUSY, syscall.ENOMEM} {
			ok = ok || errors.Is(ierr, e)
		}
		require.True(t, ok, "unexpected error %v", ierr)
		require.Equal(t, before, kaSnap(r), "failed commit (%v) changed the device", ierr)
	})
}
