package device

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/kms/vblank"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
)

const testPeriod = 16_666_667

// rig is a device on a virtual clock with one atomic file open.
type rig struct {
	t    testing.TB
	d    *Device
	clk  *vblank.Virtual
	f    *File
	comp *hashComposer
	crtc *CRTC
	conn *Connector
	prim *Plane
	mode uint32 // MODE_ID blob of the connector's preferred mode
	w, h uint32
}

func newRig(t testing.TB, name string) *rig {
	t.Helper()
	prof, err := profile.Load(name)
	require.NoError(t, err)
	clk, err := vblank.NewVirtual(testPeriod)
	require.NoError(t, err)
	comp := &hashComposer{}
	d, err := New(Config{Profile: prof, Clock: clk, Composer: comp, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	t.Cleanup(d.Close)
	f := d.Open()
	t.Cleanup(func() { f.Close() })
	require.NoError(t, f.SetClientCap(ClientCapAtomic, 1))
	require.NoError(t, f.SetClientCap(ClientCapWritebackConnectors, 1))
	r := &rig{t: t, d: d, clk: clk, f: f, comp: comp, crtc: d.crtcs[0], conn: d.connectors[0], prim: d.crtcs[0].primary}
	m := r.conn.modes[0]
	r.w, r.h = uint32(m.HDisplay), uint32(m.VDisplay)
	r.mode = r.modeBlob(m)
	return r
}

func (r *rig) modeBlob(m modeinfo.Mode) uint32 {
	id, err := r.f.CreateBlob(m.Append(nil))
	require.NoError(r.t, err)
	return id
}

// fb makes a linear framebuffer of format f.
func (r *rig) fb(w, h uint32, f fourcc.Format) uint32 {
	return r.fbMod(w, h, f, modifier.Linear)
}

func (r *rig) fbMod(w, h uint32, f fourcc.Format, m modifier.Modifier) uint32 {
	r.t.Helper()
	info, ok := fourcc.Lookup(f)
	require.True(r.t, ok)
	l, err := layout.Compute(info, m, w, h)
	require.NoError(r.t, err)
	handle, err := r.f.ImportBuffer(make([]byte, l.Size))
	require.NoError(r.t, err)
	req := FB2{Width: w, Height: h, Format: f}
	for i, pl := range l.Planes {
		req.Handles[i], req.Pitches[i], req.Offsets[i] = handle, pl.Stride, pl.Offset
		if m != modifier.Linear {
			req.Modifiers[i] = m
		}
	}
	if m != modifier.Linear {
		req.Flags = FBModifiers
	}
	id, err := r.f.AddFB2(req)
	require.NoError(r.t, err)
	return id
}

func (r *rig) planeProps(req *Request, p *Plane, crtc *CRTC, fb uint32, x, y int32, w, h uint32) {
	var crtcID uint64
	if crtc != nil {
		crtcID = uint64(crtc.id)
	}
	req.Add(p.id, p.PropertyID("FB_ID"), uint64(fb))
	req.Add(p.id, p.PropertyID("CRTC_ID"), crtcID)
	req.Add(p.id, p.PropertyID("SRC_X"), 0)
	req.Add(p.id, p.PropertyID("SRC_Y"), 0)
	req.Add(p.id, p.PropertyID("SRC_W"), uint64(w)<<16)
	req.Add(p.id, p.PropertyID("SRC_H"), uint64(h)<<16)
	req.Add(p.id, p.PropertyID("CRTC_X"), uint64(int64(x)))
	req.Add(p.id, p.PropertyID("CRTC_Y"), uint64(int64(y)))
	req.Add(p.id, p.PropertyID("CRTC_W"), uint64(w))
	req.Add(p.id, p.PropertyID("CRTC_H"), uint64(h))
}

// modeset lights up CRTC 0 on connector 0 with a full-screen primary and
// returns the primary's framebuffer; the commit is nonblocking and the
// clock is advanced until it has flipped.
func (r *rig) modeset() uint32 {
	r.t.Helper()
	fb := r.fb(r.w, r.h, fourcc.XRGB8888)
	var req Request
	req.Add(r.conn.id, r.conn.PropertyID("CRTC_ID"), uint64(r.crtc.id))
	req.Add(r.crtc.id, r.crtc.PropertyID("MODE_ID"), uint64(r.mode))
	req.Add(r.crtc.id, r.crtc.PropertyID("ACTIVE"), 1)
	r.planeProps(&req, r.prim, r.crtc, fb, 0, 0, r.w, r.h)
	require.NoError(r.t, r.f.Commit(context.Background(), &req, AtomicAllowModeset|AtomicNonblock, 0))
	r.clk.Advance()
	r.requireIdle()
	return fb
}

func (r *rig) requireIdle() {
	r.t.Helper()
	r.d.mu.Lock()
	defer r.d.mu.Unlock()
	require.Empty(r.t, r.d.queue, "commits still pending")
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// hashComposer is the simple composer part 1 tests the CRC plumbing with:
// its "CRC" is a digest of the frame description (sequence excluded), so
// equal scanout states give equal values and different ones differ.
type hashComposer struct {
	mu     sync.Mutex
	frames int
}

func (h *hashComposer) Compose(f *Frame, t Target) (uint32, error) {
	h.mu.Lock()
	h.frames++
	h.mu.Unlock()
	v := uint32(2166136261)
	mix := func(x uint32) {
		for i := 0; i < 4; i++ {
			v ^= x & 0xff
			v *= 16777619
			x >>= 8
		}
	}
	mix(uint32(f.Width))
	mix(uint32(f.Height))
	mix(t.Source.Plane)
	for _, p := range f.Planes {
		if t.Source.Plane != 0 && p.ID != t.Source.Plane {
			continue
		}
		mix(p.ID)
		mix(p.FB.ID())
		mix(uint32(p.Dst.X1))
		mix(uint32(p.Dst.Y1))
		mix(uint32(p.Dst.X2))
		mix(uint32(p.Dst.Y2))
		mix(uint32(p.Alpha))
	}
	return v, nil
}

// waitQueued waits until the device has a commit queued, failing if done
// delivers first (the commit returned without waiting for a flip).
func (r *rig) waitQueued(done <-chan error) {
	r.t.Helper()
	ctx := ctxT(r.t)
	for {
		r.d.mu.Lock()
		n := len(r.d.queue)
		r.d.mu.Unlock()
		if n > 0 {
			return
		}
		select {
		case err := <-done:
			r.t.Fatalf("returned before the flip: %v", err)
		case <-ctx.Done():
			r.t.Fatal("nothing was queued")
		default:
		}
		waitOnce()
	}
}

// waitOnce yields to other goroutines once; used only while polling a
// condition that another goroutine is about to make true.
func waitOnce() { runtime.Gosched() }
