package compositor_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/kms/vblank"
	"github.com/headwaywl/headway/modifiers/formatset"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/tiling"
	"github.com/headwaywl/headway/protocol/linuxdmabuf"
	"github.com/headwaywl/headway/protocol/wire"
)

// resolveFeedback maps a feedback's tranches to pair sets through its
// format table.
func resolveFeedback(t *testing.T, fs feedbackSend) []*formatset.Set {
	var st unix.Stat_t
	require.NoError(t, unix.Fstat(fs.tableFD, &st))
	mem, err := unix.Mmap(fs.tableFD, 0, int(st.Size), unix.PROT_READ, unix.MAP_PRIVATE)
	require.NoError(t, err)
	defer unix.Munmap(mem)
	table, err := formatset.ParseTable(mem)
	require.NoError(t, err)
	out := make([]*formatset.Set, len(fs.tranches))
	for i, tr := range fs.tranches {
		out[i], err = table.Resolve(tr.indices)
		require.NoError(t, err)
	}
	return out
}

// TestDefaultFeedbackIsTheRenderSet: on every profile the default
// feedback is one tranche holding the profile's render set; on intel-like
// that means Intel modifiers and LINEAR and no NVIDIA modifier.
func TestDefaultFeedbackIsTheRenderSet(t *testing.T) {
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			prof, err := profile.Load(name)
			require.NoError(t, err)
			r := startRig(t, compositor.Config{Profile: prof, Clock: compositor.Manual})
			c := r.dial()
			dm := c.bind("zwp_linux_dmabuf_v1")
			fb := c.NewObject("zwp_linux_dmabuf_feedback_v1")
			c.send(dm, linuxdmabuf.ZwpLinuxDmabufV1RequestGetDefaultFeedback, func(e *wire.Encoder) { e.NewID(fb) })
			sets := resolveFeedback(t, c.readFeedback(fb))
			require.Len(t, sets, 1)
			assert.Zero(t, c.t.(*testing.T).Failed())
			if prof.Render != nil {
				assert.True(t, prof.Render.EqualOrdered(sets[0]), "default feedback %v, render set %v", sets[0], prof.Render)
			}
			if name == "intel-like" {
				vendors := map[string]bool{}
				for _, m := range sets[0].Modifiers(fourcc.XRGB8888) {
					vendors[modifier.VendorName(m)] = true
				}
				assert.True(t, sets[0].Has(fourcc.XRGB8888, modifier.Linear))
				assert.True(t, sets[0].Has(fourcc.XRGB8888, modifier.Modifier(0x0100000000000002)), "Y_TILED")
				for f, m := range sets[0].Pairs() {
					assert.NotEqual(t, "NVIDIA", modifier.VendorName(m), "%s", fourcc.DRMName(f))
				}
			}
		})
	}
}

// TestScanoutTranchePairsPassTestOnly: on every profile, a 256x64 surface
// at the output's corner gets a scanout tranche, and every pair in it
// passes a TEST_ONLY commit on some plane of an identical device with a
// buffer of that pair in its canonical layout.
func TestScanoutTranchePairsPassTestOnly(t *testing.T) {
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			prof, err := profile.Load(name)
			require.NoError(t, err)
			r := startRig(t, compositor.Config{Profile: prof, Clock: compositor.Manual})
			c := r.dial()
			dm := c.bind("zwp_linux_dmabuf_v1")
			w := c.toplevel()
			fb := c.NewObject("zwp_linux_dmabuf_feedback_v1")
			c.send(dm, linuxdmabuf.ZwpLinuxDmabufV1RequestGetSurfaceFeedback, func(e *wire.Encoder) { e.NewID(fb); e.Object(w.surface) })
			first := c.readFeedback(fb)
			c.showPicture(w.surface, picture{w: 256, h: 64, px: solid(256*64, 0xff102030)})
			c.advance(1)
			cand := c.readFeedback(fb)
			cand.tableFD = first.tableFD
			sets := resolveFeedback(t, cand)
			require.NotEmpty(t, sets)
			require.Equal(t, uint32(1), cand.tranches[0].flags, "a scanout tranche first")
			// Never a pair without a fallback: the scanout tranche is
			// within the render set.
			assert.True(t, prof.Render.Contains(sets[0]), "scanout pairs %v outside the render set %v", sets[0], prof.Render)
			tester := newTestOnlyRig(t, prof, r.comp.Mode())
			for f, m := range sets[0].Pairs() {
				assert.True(t, tester.anyPlaneShows(t, f, m, 256, 64), "%s:%s on no plane", fourcc.DRMName(f), modifier.Name(m))
			}
		})
	}
}

// testOnlyRig is a device of a profile with its CRTC lit, to ask planes
// whether they show a buffer.
type testOnlyRig struct {
	dev  *device.Device
	f    *device.File
	crtc *device.CRTC
	conn *device.Connector
	mode uint32
	prim uint32 // a full-screen XRGB8888 primary framebuffer
	w, h uint32
}

func newTestOnlyRig(t *testing.T, prof *profile.Profile, m modeinfo.Mode) *testOnlyRig {
	clk, err := vblank.NewVirtual(16_666_667)
	require.NoError(t, err)
	dev, err := device.New(device.Config{Profile: prof, Clock: clk})
	require.NoError(t, err)
	t.Cleanup(dev.Close)
	f := dev.Open()
	require.NoError(t, f.SetClientCap(device.ClientCapAtomic, 1))
	tr := &testOnlyRig{dev: dev, f: f, crtc: dev.CRTCs()[0], w: uint32(m.HDisplay), h: uint32(m.VDisplay)}
	for _, cn := range dev.Connectors() {
		if !cn.IsWriteback() {
			tr.conn = cn
			break
		}
	}
	tr.mode, err = f.CreateBlob(m.Append(nil))
	require.NoError(t, err)
	tr.prim = tr.fb(t, fourcc.XRGB8888, modifier.Linear, tr.w, tr.h)
	return tr
}

func (tr *testOnlyRig) fb(t *testing.T, f fourcc.Format, m modifier.Modifier, w, h uint32) uint32 {
	info, ok := fourcc.Lookup(f)
	require.True(t, ok)
	l, err := layout.Compute(info, m, w, h)
	require.NoError(t, err, "%s:%s", fourcc.DRMName(f), modifier.Name(m))
	handle, err := tr.f.ImportBuffer(make([]byte, l.Size))
	require.NoError(t, err)
	req := device.FB2{Width: w, Height: h, Format: f}
	for i, pl := range l.Planes {
		req.Handles[i], req.Pitches[i], req.Offsets[i] = handle, pl.Stride, pl.Offset
		if m != modifier.Linear {
			req.Modifiers[i] = m
		}
	}
	if m != modifier.Linear {
		req.Flags = device.FBModifiers
	}
	id, err := tr.f.AddFB2(req)
	require.NoError(t, err, "AddFB2 %s:%s", fourcc.DRMName(f), modifier.Name(m))
	return id
}

func planeProps(req *device.Request, p *device.Plane, crtc, fb uint32, w, h uint32) {
	req.Add(p.ID(), p.PropertyID("FB_ID"), uint64(fb))
	req.Add(p.ID(), p.PropertyID("CRTC_ID"), uint64(crtc))
	req.Add(p.ID(), p.PropertyID("SRC_X"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_Y"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_W"), uint64(w)<<16)
	req.Add(p.ID(), p.PropertyID("SRC_H"), uint64(h)<<16)
	req.Add(p.ID(), p.PropertyID("CRTC_X"), 0)
	req.Add(p.ID(), p.PropertyID("CRTC_Y"), 0)
	req.Add(p.ID(), p.PropertyID("CRTC_W"), uint64(w))
	req.Add(p.ID(), p.PropertyID("CRTC_H"), uint64(h))
}

// anyPlaneShows reports whether some overlay or the primary accepts a
// w x h buffer of (f, m) at the output's corner in a TEST_ONLY modeset.
func (tr *testOnlyRig) anyPlaneShows(t *testing.T, f fourcc.Format, m modifier.Modifier, w, h uint32) bool {
	fb := tr.fb(t, f, m, w, h)
	var primary *device.Plane
	for _, p := range tr.dev.Planes() {
		if p.Type() == profile.Primary {
			primary = p
			break
		}
	}
	for _, p := range tr.dev.Planes() {
		if p.Type() == profile.Cursor {
			continue
		}
		var req device.Request
		req.Add(tr.conn.ID(), tr.conn.PropertyID("CRTC_ID"), uint64(tr.crtc.ID()))
		req.Add(tr.crtc.ID(), tr.crtc.PropertyID("MODE_ID"), uint64(tr.mode))
		req.Add(tr.crtc.ID(), tr.crtc.PropertyID("ACTIVE"), 1)
		if p != primary {
			planeProps(&req, primary, tr.crtc.ID(), tr.prim, tr.w, tr.h)
		}
		planeProps(&req, p, tr.crtc.ID(), fb, w, h)
		if err := tr.f.Commit(context.Background(), &req, device.AtomicTestOnly|device.AtomicAllowModeset, 0); err == nil {
			return true
		}
	}
	return false
}

// tiledDmabuf lays out planes (linear rows per plane, widthBytes each) in
// (f, m)'s canonical layout, tiles them, and imports the result.
func (c *tclient) tiledDmabuf(t *testing.T, f fourcc.Format, m modifier.Modifier, w, h uint32, rows [][]byte, rowBytes []int) uint32 {
	info, ok := fourcc.Lookup(f)
	require.True(t, ok)
	l, err := layout.Compute(info, m, w, h)
	require.NoError(t, err)
	mem := make([]byte, l.Size)
	var planes []dmaPlane
	for i, pl := range l.Planes {
		dst := mem[pl.Offset:]
		prows := len(rows[i]) / rowBytes[i]
		if m == modifier.Linear {
			for y := 0; y < prows; y++ {
				copy(dst[y*int(pl.Stride):], rows[i][y*rowBytes[i]:(y+1)*rowBytes[i]])
			}
		} else {
			tl, err := tiling.For(m, info.BPP(i)/8)
			require.NoError(t, err)
			require.NoError(t, tl.Tile(dst, int(pl.Stride), rows[i], rowBytes[i], rowBytes[i], prows))
		}
		planes = append(planes, dmaPlane{idx: uint32(i), offset: pl.Offset, stride: pl.Stride, mod: m})
	}
	fd := dmabufMemfd(t, mem, true)
	for i := range planes {
		planes[i].fd = fd
	}
	return c.createImmed(c.params(planes...), int32(w), int32(h), f, 0)
}

// TestTiledEqualsLinear: on intel-like, an Intel Y-tiled (and X-tiled)
// XRGB8888 buffer and a Y-tiled NV12 buffer render to the CRC of the same
// picture in LINEAR.
func TestTiledEqualsLinear(t *testing.T) {
	prof, err := profile.Load("intel-like")
	require.NoError(t, err)
	r := startRig(t, compositor.Config{Profile: prof, Clock: compositor.Manual})
	c := r.dial()
	win := c.toplevel()
	black := r.crc(c.advance(1))
	const w, h = 64, 40
	xrgbRows := testPicture(w, h).bytes()
	yRows := make([]byte, w*h)
	for i := range yRows {
		yRows[i] = byte(16 + (i*7)%220)
	}
	uvRows := make([]byte, w*h/2)
	for i := range uvRows {
		uvRows[i] = byte(64 + (i*3)%128)
	}
	for _, tc := range []struct {
		f     fourcc.Format
		rows  [][]byte
		bytes []int
		mods  []modifier.Modifier
	}{
		{fourcc.XRGB8888, [][]byte{xrgbRows}, []int{w * 4}, []modifier.Modifier{0x0100000000000002, 0x0100000000000001}},
		{fourcc.NV12, [][]byte{yRows, uvRows}, []int{w, w}, []modifier.Modifier{0x0100000000000002, 0x0100000000000001}},
	} {
		c.show(win.surface, c.tiledDmabuf(t, tc.f, modifier.Linear, w, h, tc.rows, tc.bytes))
		want := crcAfter(c, r)
		require.NotEqual(t, black, want, "%s LINEAR is shown", fourcc.DRMName(tc.f))
		for _, m := range tc.mods {
			c.show(win.surface, c.tiledDmabuf(t, tc.f, m, w, h, tc.rows, tc.bytes))
			assert.Equal(t, want, crcAfter(c, r), "%s %s", fourcc.DRMName(tc.f), modifier.Name(m))
		}
	}
}
