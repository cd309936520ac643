package device

// Property-level rules of drm_mode_atomic_ioctl that the kms_atomic tests
// do not reach: IN_FENCE_FD's -1, MODE_ID's mode validation, the -1 the
// out-fence pointers receive when the property is set, and
// prepare_signaling's events and out-fences on every CRTC and writeback
// connector of a request. Expected values come from the kernel
// (drm_atomic_uapi.c, drm_crtc.c, drm_writeback.c) and VKMS.

import (
	"fmt"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/uaccess"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/syncobj/fence"
)

// rawProp is one (object, property, value) of a raw atomic ioctl, sent in
// the order given: unlike Request, nothing is sorted or deduplicated, so a
// property can be set twice in one ioctl.
type rawProp struct {
	obj, prop uint32
	value     uint64
}

// rawAtomic sends props through AtomicIoctl, grouping consecutive props of
// the same object into one object entry as drmModeAtomicCommit does.
func rawAtomic(t testing.TB, r *rig, flags uint32, props []rawProp) error {
	t.Helper()
	var objs, counts, ids []uint32
	var vals []uint64
	for i, p := range props {
		if i == 0 || props[i-1].obj != p.obj {
			objs = append(objs, p.obj)
			counts = append(counts, 0)
		}
		counts[len(counts)-1]++
		ids = append(ids, p.prop)
		vals = append(vals, p.value)
	}
	mem := r.f.Mem()
	rw := uaccess.ProtRead | uaccess.ProtWrite
	a := AtomicArgs{Flags: flags, CountObjs: uint32(len(objs))}
	var err error
	if len(objs) > 0 {
		a.ObjsPtr, err = mem.MapU32s(objs, rw)
		require.NoError(t, err)
		a.CountPropsPtr, err = mem.MapU32s(counts, rw)
		require.NoError(t, err)
		a.PropsPtr, err = mem.MapU32s(ids, rw)
		require.NoError(t, err)
		a.PropValuesPtr, err = mem.MapU64s(vals, rw)
		require.NoError(t, err)
	}
	return r.f.AtomicIoctl(ctxT(t), &a)
}

// IN_FENCE_FD: drm_atomic_plane_set_property refuses a second fence for
// the plane (state->fence already set) before it looks at the value, and
// takes U642I64(val) == -1 as "no fence", leaving state->fence NULL.
func TestAtomicInFenceFDMinusOne(t *testing.T) {
	const minusOne = ^uint64(0) // the s64 -1 a uapi client sends
	cases := []struct {
		name   string
		values func(fd int32) []uint64 // IN_FENCE_FD values, in order
		errno  syscall.Errno           // 0: accepted
	}{
		{"MinusOne", func(int32) []uint64 { return []uint64{minusOne} }, 0},
		{"MinusOneTwice", func(int32) []uint64 { return []uint64{minusOne, minusOne} }, 0},
		{"MinusOneThenFence", func(fd int32) []uint64 { return []uint64{minusOne, uint64(fd)} }, 0},
		{"FenceThenMinusOne", func(fd int32) []uint64 { return []uint64{uint64(fd), minusOne} }, syscall.EINVAL},
		{"FenceTwice", func(fd int32) []uint64 { return []uint64{uint64(fd), uint64(fd)} }, syscall.EINVAL},
		// The same value, 0xffffffff, as a 32-bit -1 zero-extended is
		// outside the signed range -1..INT_MAX of the property.
		{"ZeroExtendedMinusOne", func(int32) []uint64 { return []uint64{0xffffffff} }, syscall.EINVAL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, fb := kaLitRig(t, "vkms")
			fd, err := r.f.InstallFence(newSignaledTestFence())
			require.NoError(t, err)
			fb2 := r.fb(r.w, r.h, fourcc.XRGB8888)
			props := []rawProp{{r.prim.id, r.prim.PropertyID("FB_ID"), uint64(fb2)}}
			for _, v := range c.values(fd) {
				props = append(props, rawProp{r.prim.id, r.prim.PropertyID("IN_FENCE_FD"), v})
			}
			before := kaSnap(r)
			err = rawAtomic(t, r, AtomicNonblock, props)
			if c.errno != 0 {
				kaFail(t, r, before, err, c.errno)
				return
			}
			require.NoError(t, err)
			r.clk.Advance()
			r.requireIdle()
			assert.Equal(t, fb2, r.d.ScanoutPlaneState(r.prim).FB.ID())
			assert.NotEqual(t, fb, fb2)
		})
	}
}

func newSignaledTestFence() *fence.Fence {
	f := newPendingFence()
	_ = f.Signal()
	return f
}

// A MODE_ID blob of the right size whose mode drm_mode_convert_umode
// refuses (drm_mode_validate_basic's rules, or a clock above INT_MAX) is
// EINVAL from drm_atomic_set_mode_prop_for_crtc, whatever errno the
// conversion gave.
func TestAtomicModeIDInvalidMode(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(m *modeinfo.Mode)
	}{
		{"ClockZero", func(m *modeinfo.Mode) { m.Clock = 0 }},
		{"ClockAboveIntMax", func(m *modeinfo.Mode) { m.Clock = 1 << 31 }},
		{"HSyncStartBeforeHDisplay", func(m *modeinfo.Mode) { m.HSyncStart = m.HDisplay - 1 }},
		{"HTotalBeforeHSyncEnd", func(m *modeinfo.Mode) { m.HTotal = m.HSyncEnd - 1 }},
		{"VSyncEndBeforeVSyncStart", func(m *modeinfo.Mode) { m.VSyncEnd = m.VSyncStart - 1 }},
		{"VDisplayZero", func(m *modeinfo.Mode) { m.VDisplay = 0 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, _ := kaLitRig(t, "vkms")
			m := r.conn.modes[1]
			c.break_(&m)
			bad := r.modeBlob(m)
			var req Request
			r.kaSet(&req, r.crtc.id, r.crtc, "MODE_ID", uint64(bad))
			before := kaSnap(r)
			kaFail(t, r, before, r.f.Commit(ctxT(t), &req, AtomicTestOnly|AtomicAllowModeset, 0), syscall.EINVAL)
		})
	}
	// The unbroken mode goes through the same path.
	t.Run("Valid", func(t *testing.T) {
		r, _ := kaLitRig(t, "vkms")
		var req Request
		r.kaSet(&req, r.crtc.id, r.crtc, "MODE_ID", uint64(r.modeBlob(r.conn.modes[1])))
		require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicTestOnly|AtomicAllowModeset, 0))
	})
}

// WRITEBACK_OUT_FENCE_PTR, like OUT_FENCE_PTR, receives -1 when the
// property is set (set_out_fence_for_connector's put_user(-1)), so even a
// TEST_ONLY commit, which creates no fence, leaves -1 there.
func TestAtomicWritebackOutFencePtrMinusOneWhenSet(t *testing.T) {
	r := newRig(t, "vkms")
	wb := r.d.Writeback()
	require.NotNil(t, wb)
	r.modeset()
	ptr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	require.NoError(t, r.f.Mem().PutS32(ptr, 0x1234))
	var req Request
	req.Add(wb.id, wb.PropertyID("CRTC_ID"), uint64(r.crtc.id))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w, r.h, fourcc.XRGB8888)))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_OUT_FENCE_PTR"), ptr)
	before := kaSnap(r)
	require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicTestOnly|AtomicAllowModeset, 0))
	require.Equal(t, before, kaSnap(r), "TEST_ONLY created something")
	v, err := r.f.Mem().GetU32(ptr)
	require.NoError(t, err)
	assert.Equal(t, int32(-1), int32(v))
}

// drm_crtc_create_fence numbers a CRTC's out-fences ++crtc->fence_seqno on
// the CRTC's own fence context: 1, 2, 3... in commit order, so that
// dma_fence_is_later and sync_file merging order them by flip.
func TestAtomicOutFenceSeqnosCount(t *testing.T) {
	r, fb := kaLitRig(t, "vkms")
	fb2 := r.fb(r.w, r.h, fourcc.XRGB8888)
	var ctxID uint64
	for i, f := range []uint32{fb2, fb, fb2} {
		ptr, err := r.f.NewOutFencePtr()
		require.NoError(t, err)
		req := kaPlaneReq(r, f, func(req *Request) { r.kaSet(req, r.crtc.id, r.crtc, "OUT_FENCE_PTR", ptr) })
		require.NoError(t, r.f.Commit(ctxT(t), req, AtomicNonblock, 0))
		sf, err := r.f.TakeOutFence(ptr)
		require.NoError(t, err)
		fe := sf.Fence()
		assert.Equal(t, uint64(i+1), fe.Seqno(), "commit %d", i)
		if i == 0 {
			ctxID = fe.Context().ID()
		}
		assert.Equal(t, ctxID, fe.Context().ID(), "one context per CRTC")
		r.clk.Advance()
		r.requireIdle()
		assert.True(t, fe.IsSignaled())
		require.NoError(t, sf.Close())
	}
}

// pipe is one lit CRTC of a multi-CRTC rig.
type pipe struct {
	crtc *CRTC
	conn *Connector
	prim *Plane
	mode uint32
	w, h uint32
	fb   uint32
}

// twoPipes lights both CRTCs of intel-like, connector i on CRTC i with its
// preferred mode and primary i showing a full-screen framebuffer.
func twoPipes(t testing.TB) (*rig, [2]pipe) {
	t.Helper()
	r := newRig(t, "intel-like")
	require.Len(t, r.d.crtcs, 2)
	var ps [2]pipe
	var req Request
	for i := range ps {
		p := &ps[i]
		p.crtc, p.conn = r.d.crtcs[i], r.d.connectors[i]
		p.prim = p.crtc.primary
		m := p.conn.modes[0]
		p.w, p.h = uint32(m.HDisplay), uint32(m.VDisplay)
		p.mode = r.modeBlob(m)
		p.fb = r.fb(p.w, p.h, fourcc.XRGB8888)
		req.Add(p.conn.id, p.conn.PropertyID("CRTC_ID"), uint64(p.crtc.id))
		req.Add(p.crtc.id, p.crtc.PropertyID("MODE_ID"), uint64(p.mode))
		req.Add(p.crtc.id, p.crtc.PropertyID("ACTIVE"), 1)
		r.planeProps(&req, p.prim, p.crtc, p.fb, 0, 0, p.w, p.h)
	}
	require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicAllowModeset|AtomicNonblock, 0))
	r.clk.Advance()
	r.requireIdle()
	return r, ps
}

// prepare_signaling makes a page-flip event and an out-fence for every
// CRTC of the request (for_each_new_crtc_in_state), not only the first.
func TestAtomicSignalingOnEveryCRTC(t *testing.T) {
	r, ps := twoPipes(t)
	var req Request
	var ptrs [2]uint64
	for i, p := range ps {
		ptr, err := r.f.NewOutFencePtr()
		require.NoError(t, err)
		ptrs[i] = ptr
		r.planeProps(&req, p.prim, p.crtc, r.fb(p.w, p.h, fourcc.XRGB8888), 0, 0, p.w, p.h)
		req.Add(p.crtc.id, p.crtc.PropertyID("OUT_FENCE_PTR"), ptr)
	}
	require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock|PageFlipEvent, 99))
	for i, ptr := range ptrs {
		sf, err := r.f.TakeOutFence(ptr)
		require.NoError(t, err, "CRTC %d got no out-fence", i)
		defer sf.Close()
	}
	r.clk.Advance()
	r.requireIdle()
	var got []uint32
	for {
		ev, ok := r.f.PollEvent()
		if !ok {
			break
		}
		assert.Equal(t, uint64(99), ev.UserData)
		got = append(got, ev.CRTCID)
	}
	assert.ElementsMatch(t, []uint32{ps[0].crtc.id, ps[1].crtc.id}, got, "one flip event per CRTC")
}

// A request with both a CRTC out-fence and a writeback out-fence gets
// both: prepare_signaling's connector loop runs after its CRTC loop.
func TestAtomicCRTCAndWritebackOutFences(t *testing.T) {
	r := newRig(t, "vkms")
	crtcPtr, wbPtr := commitCRTCAndWritebackFences(t, r)
	crtcSF, err := r.f.TakeOutFence(crtcPtr)
	require.NoError(t, err, "no CRTC out-fence")
	defer crtcSF.Close()
	wbSF, err := r.f.TakeOutFence(wbPtr)
	require.NoError(t, err, "no writeback out-fence")
	defer wbSF.Close()
	assert.NotSame(t, crtcSF.Fence(), wbSF.Fence())
	r.clk.Advance()
	r.requireIdle()
	assert.True(t, crtcSF.Fence().IsSignaled())
	assert.True(t, wbSF.Fence().IsSignaled())

	// Each has its own timeline, as drm_crtc_init_with_planes and
	// drm_writeback_connector_init each allocate a fence context:
	// "CRTC:<id>-<name>" and "CONNECTOR:<id>-<name>", seqnos counting
	// per timeline from 1.
	wb := r.d.Writeback()
	cf, wf := crtcSF.Fence(), wbSF.Fence()
	assert.Equal(t, fmt.Sprintf("CRTC:%d-crtc-0", r.crtc.id), cf.Ops().TimelineName(cf))
	assert.Equal(t, fmt.Sprintf("CONNECTOR:%d-Writeback-1", wb.id), wf.Ops().TimelineName(wf))
	assert.Equal(t, "headway-vkms", wf.Ops().DriverName())
	assert.NotEqual(t, cf.Context(), wf.Context())
	assert.Equal(t, uint64(1), wf.Seqno())

	ptr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	var req Request
	req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w, r.h, fourcc.XRGB8888)))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_OUT_FENCE_PTR"), ptr)
	require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock, 0))
	next, err := r.f.TakeOutFence(ptr)
	require.NoError(t, err)
	defer next.Close()
	assert.Equal(t, wf.Context(), next.Fence().Context())
	assert.Equal(t, uint64(2), next.Fence().Seqno(), "the CRTC's fences do not advance the writeback timeline")
	r.clk.Advance()
	r.requireIdle()
}

// commitCRTCAndWritebackFences lights CRTC 0 and commits, nonblocking,
// a request with its OUT_FENCE_PTR and a writeback job with
// WRITEBACK_OUT_FENCE_PTR; it returns both pointers.
func commitCRTCAndWritebackFences(t *testing.T, r *rig) (crtcPtr, wbPtr uint64) {
	t.Helper()
	wb := r.d.Writeback()
	r.modeset()
	crtcPtr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	wbPtr, err = r.f.NewOutFencePtr()
	require.NoError(t, err)
	var req Request
	req.Add(r.crtc.id, r.crtc.PropertyID("OUT_FENCE_PTR"), crtcPtr)
	req.Add(wb.id, wb.PropertyID("CRTC_ID"), uint64(r.crtc.id))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w, r.h, fourcc.XRGB8888)))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_OUT_FENCE_PTR"), wbPtr)
	require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock|AtomicAllowModeset, 0))
	return crtcPtr, wbPtr
}

// probeComposer records, for each frame with a writeback target, whether
// the writeback fence had already signalled when composition started.
type probeComposer struct {
	hashComposer
	wbFence        *fence.Fence
	signalledEarly []bool
}

func (p *probeComposer) Compose(f *Frame, t Target) (uint32, error) {
	if t.Writeback != nil && p.wbFence != nil {
		p.signalledEarly = append(p.signalledEarly, p.wbFence.IsSignaled())
	}
	return p.hashComposer.Compose(f, t)
}

// A writeback fence signals when the frame has been written, not at the
// flip: VKMS calls drm_writeback_signal_completion from its composer
// worker after the output is composed.
func TestWritebackFenceSignalsAfterComposition(t *testing.T) {
	r := newRig(t, "vkms")
	wb := r.d.Writeback()
	r.modeset()
	probe := &probeComposer{}
	r.d.mu.Lock()
	r.d.composer = probe
	r.d.mu.Unlock()
	ptr, err := r.f.NewOutFencePtr()
	require.NoError(t, err)
	var req Request
	req.Add(wb.id, wb.PropertyID("CRTC_ID"), uint64(r.crtc.id))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_FB_ID"), uint64(r.fb(r.w, r.h, fourcc.XRGB8888)))
	req.Add(wb.id, wb.PropertyID("WRITEBACK_OUT_FENCE_PTR"), ptr)
	require.NoError(t, r.f.Commit(ctxT(t), &req, AtomicNonblock|AtomicAllowModeset, 0))
	sf, err := r.f.TakeOutFence(ptr)
	require.NoError(t, err)
	defer sf.Close()
	probe.wbFence = sf.Fence()
	r.clk.Advance()
	r.requireIdle()
	require.Equal(t, []bool{false}, probe.signalledEarly, "the writeback fence signalled before its frame was composed")
	assert.True(t, sf.Fence().IsSignaled())
}
